package io.generalbots.failover.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.generalbots.failover.breaker.BreakerConfig;
import io.generalbots.failover.breaker.BreakerRegistry;
import io.generalbots.failover.fallback.FallbackSettings;
import io.generalbots.failover.fallback.ResilientCache;
import io.generalbots.scaling.Ticker;
import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.health.HealthCheckResult;
import io.generalbots.scaling.testing.Await;
import io.generalbots.scaling.testing.RedisServer;
import io.lettuce.core.resource.ClientResources;

/** The cache facade on a real Redis: falls back to memory when Redis dies, returns when it is back. */
class RedisStandaloneIT {

    @Test
    void cacheFallsBackToMemoryAndReturnsToRedis() throws Exception {
        RedisServer redis = RedisServer.start();
        try (RedisConnections connections = RedisConnections.of(CacheSettings.from(BotConfig.parse("config.csv",
                "cache-mode,standalone\ncache-host,127.0.0.1:" + redis.port() + "\ncache-timeout,500ms")))) {
            BreakerRegistry breakers = BreakerRegistry.of(BreakerConfig.custom().failureThreshold(2)
                    .waitInOpen(Duration.ofMillis(300)).halfOpenCalls(1).build());
            ResilientCache cache = ResilientCache.of(connections.cacheBackend(), breakers.breaker("cache"),
                    FallbackSettings.from(BotConfig.ofDefaults()), Ticker.system());

            cache.put("greeting", "hello", Duration.ofMinutes(1));
            assertThat(redis.command("GET", "greeting")).isEqualTo("hello");
            assertThat(connections.healthCheck().check()).isEqualTo(HealthCheckResult.up());

            redis.kill();
            cache.put("greeting", "during outage", Duration.ofMinutes(1));
            assertThat(cache.isOnFallback()).isTrue();
            assertThat(cache.get("greeting")).contains("during outage");
            assertThat(cache.healthCheck().check().word()).isEqualTo("fallback");
            assertThatThrownBy(() -> connections.healthCheck().check()).hasMessageContaining("not connected");

            redis = redis.restart();
            redis.command("SET", "greeting", "from redis");
            Await.until("the cache back on Redis", Duration.ofSeconds(30),
                    () -> cache.get("greeting").orElse("").equals("from redis"));
            assertThat(cache.isOnFallback()).isFalse();
            assertThat(cache.healthCheck().check()).isEqualTo(HealthCheckResult.up());
        } finally {
            redis.close();
        }
    }

    @Test
    void theHostsClientResourcesAreUsedAndOutliveClose() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            CacheSettings settings = CacheSettings.from(BotConfig.parse("config.csv",
                    "cache-mode,standalone\ncache-host,127.0.0.1:" + redis.port() + "\ncache-timeout,2s"));
            ClientResources host = ClientResources.create();
            try {
                try (RedisConnections connections = RedisConnections.custom(settings).clientResources(host).build()) {
                    assertThat(connections.connection().getResources()).isSameAs(host);
                    connections.sync().set("k", "v1");
                }
                assertThat(host.eventExecutorGroup().isShuttingDown()).as("the host's resources after close").isFalse();
                // still usable: another connection on the same resources works
                try (RedisConnections again = RedisConnections.custom(settings).clientResources(host).build()) {
                    assertThat(again.sync().get("k")).isEqualTo("v1");
                }
            } finally {
                host.shutdown();
            }
            // the connections' own resources, by contrast, are shut down by close
            RedisConnections own = RedisConnections.of(settings);
            ClientResources ownResources = own.connection().getResources();
            assertThat(ownResources).isNotSameAs(host);
            own.close();
            assertThat(ownResources.eventExecutorGroup().isShuttingDown()).isTrue();
        }
        assertThatThrownBy(() -> RedisConnections.custom(CacheSettings.from(BotConfig.ofDefaults())).clientResources(null))
                .isInstanceOf(NullPointerException.class).hasMessage("clientResources");
    }
}
