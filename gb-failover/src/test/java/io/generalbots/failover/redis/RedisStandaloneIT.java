package io.generalbots.failover.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

import io.generalbots.failover.breaker.BreakerConfig;
import io.generalbots.failover.breaker.BreakerRegistry;
import io.generalbots.failover.fallback.FallbackSettings;
import io.generalbots.failover.fallback.ResilientCache;
import io.generalbots.scaling.Ticker;
import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.health.HealthCheckResult;
import io.generalbots.scaling.testing.RedisServer;

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
            awaitTrue(() -> cache.get("greeting").orElse("").equals("from redis"), Duration.ofSeconds(30));
            assertThat(cache.isOnFallback()).isFalse();
            assertThat(cache.healthCheck().check()).isEqualTo(HealthCheckResult.up());
        } finally {
            redis.close();
        }
    }

    static void awaitTrue(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(50);
        }
    }
}
