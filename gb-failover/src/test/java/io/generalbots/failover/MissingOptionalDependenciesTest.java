package io.generalbots.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;

import io.generalbots.failover.postgres.FailoverDataSource;
import io.generalbots.failover.postgres.PostgresFailoverConfig;
import io.generalbots.failover.redis.CacheSettings;
import io.generalbots.failover.redis.RedisConnections;
import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.scaling.testing.IsolatedClassPath;

/** What a user who did not add an optional dependency sees: the artifact to add, not NoClassDefFoundError. */
class MissingOptionalDependenciesTest {

    /** Redis connections on a class path without Lettuce. */
    public static final class Redis implements Callable<String> {
        @Override
        public String call() {
            try (RedisConnections redis = RedisConnections.of(CacheSettings.from(BotConfig.ofDefaults()))) {
                return "connected";
            } catch (RuntimeException | LinkageError e) {
                return e.getClass().getName() + ": " + e.getMessage();
            }
        }
    }

    /** The failover data source on a class path without HikariCP or the PostgreSQL driver. */
    public static final class Failover implements Callable<String> {
        @Override
        public String call() {
            try (FailoverDataSource db = FailoverDataSource.of(PostgresFailoverConfig.custom()
                    .hosts(List.of(HostAndPort.parse("127.0.0.1:1", 5432))).database("x").build())) {
                return "built";
            } catch (RuntimeException | LinkageError e) {
                return e.getClass().getName() + ": " + e.getMessage();
            }
        }
    }

    @Test
    void redisConnectionsWithoutLettuceNameTheArtifact() throws Exception {
        assertThat(IsolatedClassPath.without("lettuce-core").call(Redis.class)).isEqualTo(
                "java.lang.IllegalStateException: RedisConnections needs Lettuce on the class path: add"
                        + " io.lettuce:lettuce-core (managed by gb-dependencies)");
    }

    @Test
    void theFailoverDataSourceWithoutHikariOrTheDriverNamesTheArtifact() throws Exception {
        assertThat(IsolatedClassPath.without("HikariCP").call(Failover.class)).isEqualTo(
                "java.lang.IllegalStateException: FailoverDataSource needs HikariCP on the class path: add"
                        + " com.zaxxer:HikariCP (managed by gb-dependencies)");
        assertThat(IsolatedClassPath.without("postgresql-").call(Failover.class)).isEqualTo(
                "java.lang.IllegalStateException: FailoverDataSource needs the PostgreSQL JDBC driver on the class path:"
                        + " add org.postgresql:postgresql (managed by gb-dependencies)");
    }
}
