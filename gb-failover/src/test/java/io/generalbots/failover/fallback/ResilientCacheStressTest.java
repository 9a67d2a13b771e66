package io.generalbots.failover.fallback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

import io.generalbots.failover.breaker.BreakerConfig;
import io.generalbots.failover.breaker.BreakerRegistry;
import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.testing.ManualTicker;

class ResilientCacheStressTest {

    @Test
    void underContentionWithRedisFlappingNoCallFailsAndRedisServesAgainAtTheEnd() throws Exception {
        ManualTicker ticker = new ManualTicker();
        ResilientCacheTest.FlakyBackend redis = new ResilientCacheTest.FlakyBackend();
        ResilientCache cache = ResilientCache.of(redis, BreakerRegistry.of(BreakerConfig.custom().failureThreshold(3)
                        .waitInOpen(Duration.ofMillis(10)).halfOpenCalls(2).ticker(ticker).build()).breaker("cache"),
                FallbackSettings.from(BotConfig.ofDefaults()), ticker);
        AtomicInteger started = new AtomicInteger();
        AtomicInteger recovered = new AtomicInteger();
        cache.addListener(e -> (e instanceof CacheEvent.FallbackStarted ? started : recovered).incrementAndGet());
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread w = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < 5_000; i++) {
                        if (id == 0 && i % 500 == 0) {
                            redis.up.set(!redis.up.get());
                        }
                        if (id == 1 && i % 50 == 0) {
                            ticker.advance(Duration.ofMillis(11));
                        }
                        String key = "k" + (i % 100);
                        cache.put(key, "v" + i, Duration.ofMinutes(1));
                        cache.get(key);
                        if (i % 10 == 0) {
                            cache.delete(key);
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            workers.add(w);
            w.start();
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        assertThat(errors).isEmpty();
        // each switch told exactly once, however many threads met it: one more start while on the fallback
        assertThat(started.get() - recovered.get()).isEqualTo(cache.isOnFallback() ? 1 : 0);

        redis.up.set(true);
        ticker.advance(Duration.ofSeconds(1));
        redis.data.put("final", "from-redis");
        // at most a few calls until a trial call closes the breaker
        String value = "";
        for (int i = 0; i < 10 && !value.equals("from-redis"); i++) {
            value = cache.get("final").orElse("");
        }
        assertThat(value).isEqualTo("from-redis");
        assertThat(cache.isOnFallback()).isFalse();
        assertThat(started.get()).isPositive().isEqualTo(recovered.get());
    }
}
