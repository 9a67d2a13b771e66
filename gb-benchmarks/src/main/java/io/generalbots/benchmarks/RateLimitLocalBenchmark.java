package io.generalbots.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.generalbots.ratelimit.LocalRateLimiter;
import io.generalbots.ratelimit.RateLimitConfig;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Local keyed rate limiting, 2 threads: gb-ratelimit's {@link LocalRateLimiter} against Bucket4j
 * (a bucket per key in a Caffeine map bounded and expiring like ours) on one hot key and on
 * 100,000 keys, and, on the hot key, Resilience4j's AtomicRateLimiter and Guava's RateLimiter
 * (neither is keyed). All limits are high enough that every decision is an allow (a state write).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(2)
@State(Scope.Benchmark)
public class RateLimitLocalBenchmark {

    static final int KEYS = 100_000;
    /** 100,000 per millisecond, burst 100,000: every decision allowed. */
    static final long RATE = 100_000;
    static final Duration WINDOW = Duration.ofMillis(1);

    LocalRateLimiter gb;
    Cache<String, Bucket> bucket4j;
    AtomicRateLimiter r4j;
    com.google.common.util.concurrent.RateLimiter guava;
    String[] keys;

    @Setup
    public void setup() {
        gb = LocalRateLimiter.custom(RateLimitConfig.custom().requests(RATE).window(WINDOW).burst(RATE).build())
                .maxKeys(1_000_000).build();
        bucket4j = Caffeine.newBuilder().maximumSize(1_000_000).expireAfterAccess(Duration.ofMinutes(1)).build();
        r4j = new AtomicRateLimiter("hot", RateLimiterConfig.custom().limitForPeriod(Integer.MAX_VALUE)
                .limitRefreshPeriod(Duration.ofMillis(1)).timeoutDuration(Duration.ZERO).build());
        guava = com.google.common.util.concurrent.RateLimiter.create(1e12);
        keys = new String[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255);
            gb.tryAcquire(keys[i], null);
            bucket(keys[i]).tryConsume(1);
        }
    }

    static Bucket newBucket(String key) {
        return Bucket.builder().addLimit(Bandwidth.builder().capacity(2 * RATE).refillGreedy(RATE, WINDOW).build()).build();
    }

    Bucket bucket(String key) {
        return bucket4j.get(key, RateLimitLocalBenchmark::newBucket);
    }

    /** A per-thread walk over the keys. */
    @State(Scope.Thread)
    public static class Cursor {
        int i = (int) (Thread.currentThread().getId() * 7919);

        int next() {
            i = (i + 1) % KEYS;
            return i;
        }
    }

    @Benchmark
    public boolean hotGb() {
        return gb.tryAcquire("hot", null);
    }

    @Benchmark
    public boolean hotGbDecide() {
        return gb.decide("hot", null).allowed();
    }

    @Benchmark
    public boolean hotBucket4j() {
        return bucket("hot").tryConsume(1);
    }

    @Benchmark
    public boolean hotResilience4j() {
        return r4j.acquirePermission();
    }

    @Benchmark
    public boolean hotGuava() {
        return guava.tryAcquire();
    }

    @Benchmark
    public boolean keysGb(Cursor c) {
        return gb.tryAcquire(keys[c.next()], null);
    }

    @Benchmark
    public boolean keysBucket4j(Cursor c) {
        return bucket(keys[c.next()]).tryConsume(1);
    }
}
