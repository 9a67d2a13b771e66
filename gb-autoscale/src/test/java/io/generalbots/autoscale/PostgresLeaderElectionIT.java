package io.generalbots.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.testing.Await;
import io.generalbots.scaling.testing.ManualTicker;
import io.generalbots.scaling.testing.TestPostgres;
import org.junit.jupiter.api.Test;

/** Two engines in one JVM elect one leader on the real test PostgreSQL; killing its session hands over. */
class PostgresLeaderElectionIT {

    private final ManualTicker ticker = new ManualTicker();

    private static String url() {
        return TestPostgres.url("postgres") + "?user=" + URLEncoder.encode(TestPostgres.user(), StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(TestPostgres.password(), StandardCharsets.UTF_8);
    }

    @Test
    void onlyTheLeaderScalesAndAnotherTakesOverWhenItsConnectionIsKilled() throws Exception {
        String key = "gbscale-it-" + System.nanoTime();
        LeaderSettings leader = LeaderSettings.from(BotConfig.of(Map.of("scale-leader-election", "postgres",
                "scale-leader-url", url(), "scale-leader-key", key)));
        ScalingSettings settings = ScalingSettings.from(BotConfig.of(Map.of("scale-enabled", "true",
                "scale-cooldown-seconds", "0")));
        FakeManager cluster = new FakeManager(1);
        List<ScalingEvent> events = new ArrayList<>();
        MetricsSource busy = list -> {
            Map<String, InstanceMetrics> m = new java.util.HashMap<>();
            list.forEach(i -> m.put(i.id(), InstanceMetrics.cpu(100)));
            return m;
        };
        try (LeaderElection electionA = LeaderElection.of(leader, "node-a", ticker);
             LeaderElection electionB = LeaderElection.of(leader, "node-b", ticker);
             AutoScaler a = AutoScaler.custom(settings, cluster, busy).name("a").ticker(ticker)
                     .leaderElection(electionA).listener(events::add).build();
             AutoScaler b = AutoScaler.custom(settings, cluster, busy).name("b").ticker(ticker)
                     .leaderElection(electionB).listener(events::add).build()) {

            assertThat(a.check()).isPresent();
            assertThat(b.check()).isEmpty();
            assertThat(cluster.instances).hasSize(2);
            assertThat(events).singleElement().extracting(ScalingEvent::scaler).isEqualTo("a");
            long termA = electionA.fencingToken();
            assertThat(termA).isPositive();
            assertThat(electionB.stillLeads()).isFalse();

            terminate("gb-scaler node-a");
            assertThat(electionA.stillLeads()).isFalse();
            Await.until("node-b takes over once node-a's session is gone", Duration.ofSeconds(10), () -> {
                ticker.advance(Duration.ofSeconds(30));
                return b.check().isPresent();
            });
            assertThat(electionB.fencingToken()).isGreaterThan(termA);

            ticker.advance(Duration.ofSeconds(30));
            assertThat(a.check()).as("node-a does not lead again while node-b holds the lock").isEmpty();
            assertThat(electionA.stillLeads() && electionB.stillLeads()).isFalse();
            assertThat(events).last().extracting(ScalingEvent::scaler, ScalingEvent::fencingToken)
                    .containsExactly("b", electionB.fencingToken());
        }
    }

    @Test
    void threeInstancesOnTheSeedsConfigWithALeaderUrlScaleOnceNotThreeTimes() throws Exception {
        // every instance reads the same config.csv: the seed's scale-enabled,true plus where to elect
        BotConfig config = BotConfig.parse("config.csv", "scale-enabled,true\nscale-min-instances,1\n"
                + "scale-max-instances,10\nscale-cpu-threshold,70\nscale-cooldown-seconds,300\n"
                + "scale-check-interval,30\nscale-leader-url," + url() + "\nscale-leader-key,gbscale-it-three-"
                + System.nanoTime() + "\n");
        ScalingSettings settings = ScalingSettings.from(config);
        LeaderSettings leader = LeaderSettings.from(config);
        assertThat(leader.kind()).isEqualTo(LeaderSettings.Kind.POSTGRES);
        FakeManager cluster = new FakeManager(3);
        List<ScalingEvent> events = new ArrayList<>();
        MetricsSource busy = list -> {
            Map<String, InstanceMetrics> m = new java.util.HashMap<>();
            list.forEach(i -> m.put(i.id(), InstanceMetrics.cpu(140)));
            return m;
        };
        List<AutoScaler> scalers = new ArrayList<>();
        try {
            for (int i = 1; i <= 3; i++) {
                scalers.add(AutoScaler.custom(settings, cluster, busy).name("botserver-" + i).ticker(ticker)
                        .leaderElection(LeaderElection.of(leader, "botserver-" + i, ticker)).listener(events::add)
                        .build());
            }
            int leading = 0;
            for (AutoScaler s : scalers) {
                if (s.check().isPresent()) {
                    leading++;
                }
            }
            assertThat(leading).isEqualTo(1);
            assertThat(cluster.instances).as("one scale-up 3 -> 6, not three").hasSize(6);
            assertThat(events).singleElement().isInstanceOf(ScalingEvent.ScaledUp.class);
        } finally {
            scalers.forEach(AutoScaler::close);
        }
    }

    private static void terminate(String applicationName) throws Exception {
        try (Connection c = TestPostgres.connect("postgres");
             PreparedStatement s = c.prepareStatement(
                     "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?")) {
            s.setString(1, applicationName);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).as("the leader's session exists").isTrue();
                assertThat(rs.getBoolean(1)).isTrue();
            }
        }
    }
}
