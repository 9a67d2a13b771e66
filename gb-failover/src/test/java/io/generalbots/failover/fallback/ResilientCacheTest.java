package io.generalbots.failover.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.generalbots.failover.breaker.Breaker;
import io.generalbots.failover.breaker.BreakerConfig;
import io.generalbots.failover.breaker.BreakerRegistry;
import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.event.EventListener;
import io.generalbots.scaling.health.HealthCheckResult;
import io.generalbots.scaling.testing.CapturedLog;
import io.generalbots.scaling.testing.ManualTicker;

class ResilientCacheTest {

    /** A Redis stand-in that can be switched off. */
    static final class FlakyBackend implements CacheBackend {
        final Map<String, String> data = new ConcurrentHashMap<>();
        final AtomicBoolean up = new AtomicBoolean(true);
        final AtomicInteger calls = new AtomicInteger();

        private void check() throws IOException {
            calls.incrementAndGet();
            if (!up.get()) {
                throw new IOException("Connection refused");
            }
        }

        @Override
        public Optional<String> get(String key) throws IOException {
            check();
            return Optional.ofNullable(data.get(key));
        }

        @Override
        public void put(String key, String value, Duration ttl) throws IOException {
            check();
            data.put(key, value);
        }

        @Override
        public void delete(String key) throws IOException {
            check();
            data.remove(key);
        }
    }

    private final ManualTicker ticker = new ManualTicker();
    private final Breaker breaker = BreakerRegistry.of(BreakerConfig.custom().failureThreshold(2)
            .waitInOpen(Duration.ofSeconds(30)).halfOpenCalls(1).ticker(ticker).build()).breaker("cache");
    private final FlakyBackend redis = new FlakyBackend();
    private final ResilientCache cache = ResilientCache.of(redis, breaker, FallbackSettings.from(BotConfig.ofDefaults()),
            ticker);

    @Test
    void usesRedisWhileItIsUp() throws Exception {
        cache.put("k", "v", Duration.ofMinutes(1));
        assertThat(redis.data).containsEntry("k", "v");
        assertThat(cache.get("k")).contains("v");
        assertThat(cache.isOnFallback()).isFalse();
        assertThat(cache.healthCheck().check()).isEqualTo(HealthCheckResult.up());
    }

    @Test
    void servesFromMemoryWhileRedisIsDownAndGoesBackWhenItRecovers() throws Exception {
        redis.data.put("k", "from-redis");
        redis.up.set(false);
        cache.put("k", "during-outage", Duration.ofMinutes(1));
        assertThat(cache.isOnFallback()).isTrue();
        assertThat(cache.get("k")).contains("during-outage");
        HealthCheckResult h = cache.healthCheck().check();
        assertThat(h.status()).isEqualTo(HealthCheckResult.Status.DEGRADED);
        assertThat(h.word()).isEqualTo("fallback");

        // breaker opened after 2 failures: Redis is not even tried during the wait
        int tried = redis.calls.get();
        assertThat(cache.get("k")).contains("during-outage");
        assertThat(redis.calls.get()).isEqualTo(tried);

        redis.up.set(true);
        ticker.advance(Duration.ofSeconds(30).plusNanos(1));
        assertThat(cache.get("k")).as("back on Redis").contains("from-redis");
        assertThat(cache.isOnFallback()).isFalse();
        // the outage's entries are gone, so a later outage cannot serve them
        redis.up.set(false);
        assertThat(cache.get("k")).isEmpty();
    }

    @Test
    void eachSwitchIsLoggedAndPublishedOnceAndAThrowingListenerBreaksNothing() throws Exception {
        List<CacheEvent> events = new CopyOnWriteArrayList<>();
        EventListener<CacheEvent> broken = e -> {
            throw new IllegalStateException("a broken listener must not stop the cache");
        };
        cache.addListener(broken);
        cache.addListener(events::add);
        assertThat(cache.name()).isEqualTo("cache");
        try (CapturedLog log = CapturedLog.open()) {
            redis.up.set(false);
            cache.put("k", "during-outage", Duration.ofMinutes(1));
            cache.put("k", "still-out", Duration.ofMinutes(1));
            assertThat(cache.get("k")).contains("still-out");
            redis.up.set(true);
            ticker.advance(Duration.ofSeconds(30).plusNanos(1));
            assertThat(cache.get("k")).isEmpty();
            cache.get("k");
            assertThat(log.linesContaining("cache 'cache': Redis unavailable (java.io.IOException: Connection refused);"
                    + " serving from the in-process cache")).hasSize(1);
            assertThat(log.linesContaining("cache 'cache': Redis answers again; in-process entries dropped")).hasSize(1);
            assertThat(log.linesContaining("failed on")).hasSize(2).allMatch(l -> l.contains(
                    "WARN io.generalbots.scaling.event.EventPublisher - cache 'cache': listener "));
        }
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).isInstanceOfSatisfying(CacheEvent.FallbackStarted.class, e -> {
            assertThat(e.cache()).isEqualTo("cache");
            assertThat(e.cause()).isInstanceOf(IOException.class).hasMessage("Connection refused");
        });
        assertThat(events.get(1)).isEqualTo(new CacheEvent.Recovered("cache"));

        assertThat(cache.removeListener(broken)).isTrue();
        assertThat(cache.removeListener(broken)).isFalse();
        redis.up.set(false);
        cache.get("k");
        assertThat(events).hasSize(3).last().isInstanceOf(CacheEvent.FallbackStarted.class);
    }

    @Test
    void memoryEntriesExpireAndAreBounded() throws Exception {
        BotConfig config = BotConfig.parse("config.csv", "fallback-cache-size,2\nfallback-cache-ttl,60");
        ResilientCache small = ResilientCache.of(redis, breaker, FallbackSettings.from(config), ticker);
        redis.up.set(false);
        small.put("a", "1", Duration.ofHours(1));
        ticker.advance(Duration.ofSeconds(59));
        assertThat(small.get("a")).contains("1");
        ticker.advance(Duration.ofSeconds(2));
        assertThat(small.get("a")).as("fallback-cache-ttl caps the entry's life").isEmpty();

        MemoryCacheBackend memory = new MemoryCacheBackend(2, Duration.ofMinutes(1), ticker);
        for (int i = 0; i < 10; i++) {
            memory.put("k" + i, "v", Duration.ofSeconds(10));
        }
        assertThat(memory.size()).isLessThanOrEqualTo(2);
    }

    @Test
    void withoutAFallbackRedisFailuresAreThrown() {
        ResilientCache none = ResilientCache.of(redis, breaker,
                FallbackSettings.from(BotConfig.parse("config.csv", "fallback-cache-enabled,false")), ticker);
        redis.up.set(false);
        assertThatThrownBy(() -> none.get("k")).isInstanceOf(AllFailedException.class)
                .hasMessage("cache: Redis failed and fallback-cache-enabled is false: java.io.IOException: "
                        + "Connection refused");
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> cache.put("k", "v", Duration.ZERO)).hasMessageContaining("ttl must be positive");
        assertThatThrownBy(() -> new MemoryCacheBackend(0, Duration.ofMinutes(1), ticker))
                .hasMessage("maxEntries must be positive, but was 0");
    }
}
