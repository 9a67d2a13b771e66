package io.generalbots.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;

import io.generalbots.autoscale.simulate.SimulationChart;
import io.generalbots.scaling.Ticker;
import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.testing.IsolatedClassPath;

/** What a user who did not add an optional dependency sees: the artifact to add. */
class MissingOptionalDependenciesTest {

    private static String elect(String kind, String url) {
        LeaderSettings settings = LeaderSettings.from(BotConfig.parse("config.csv",
                "scale-leader-election," + kind + "\nscale-leader-url," + url + "\nscale-check-interval,5\n"));
        try {
            LeaderElection.of(settings, "node-1", Ticker.system()).close();
            return "built";
        } catch (RuntimeException | LinkageError e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    /** Redis leader election without Lettuce. */
    public static final class RedisElection implements Callable<String> {
        @Override
        public String call() {
            return elect("redis", "redis://127.0.0.1:1");
        }
    }

    /** PostgreSQL leader election without the driver. */
    public static final class PostgresElection implements Callable<String> {
        @Override
        public String call() {
            return elect("postgres", "jdbc:postgresql://127.0.0.1:1/x");
        }
    }

    /** The simulator's chart without XChart. */
    public static final class Chart implements Callable<String> {
        @Override
        public String call() {
            try {
                SimulationChart.write(null, "run", Path.of("target", "never.png"));
                return "drawn";
            } catch (RuntimeException | LinkageError | java.io.IOException e) {
                return e.getClass().getName() + ": " + e.getMessage();
            }
        }
    }

    @Test
    void leaderElectionNamesTheMissingClient() throws Exception {
        assertThat(IsolatedClassPath.without("lettuce-core").call(RedisElection.class)).isEqualTo(
                "java.lang.IllegalStateException: scale-leader-election,redis needs Lettuce on the class path: add"
                        + " io.lettuce:lettuce-core (managed by gb-dependencies)");
        assertThat(IsolatedClassPath.without("postgresql-").call(PostgresElection.class)).isEqualTo(
                "java.lang.IllegalStateException: scale-leader-election,postgres needs the PostgreSQL JDBC driver on the"
                        + " class path: add org.postgresql:postgresql (managed by gb-dependencies)");
    }

    @Test
    void theChartNamesXChart() throws Exception {
        assertThat(IsolatedClassPath.without("xchart").call(Chart.class)).isEqualTo(
                "java.lang.IllegalStateException: gb-scale simulate --chart (SimulationChart) needs XChart on the class"
                        + " path: add org.knowm.xchart:xchart (managed by gb-dependencies)");
    }
}
