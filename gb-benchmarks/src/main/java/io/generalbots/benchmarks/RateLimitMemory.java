package io.generalbots.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.generalbots.ratelimit.LocalRateLimiter;
import io.generalbots.ratelimit.RateLimitConfig;
import io.github.bucket4j.Bucket;

/**
 * Retained heap per tracked key at 1,000,000 keys: gb-ratelimit's local store against Bucket4j
 * buckets in the same kind of Caffeine map. The key strings themselves are measured separately
 * and subtracted (both stores hold the same strings).
 *
 * <p>Run: {@code java -cp gb-benchmarks/target/benchmarks.jar io.generalbots.benchmarks.RateLimitMemory}
 */
public final class RateLimitMemory {

    private RateLimitMemory() {
    }

    static long used() {
        for (int i = 0; i < 5; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * Prints bytes per key.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        int n = 1_000_000;
        long base = used();
        String[] keys = new String[n];
        for (int i = 0; i < n; i++) {
            keys[i] = "10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255);
        }
        long withKeys = used();
        double keyBytes = (withKeys - base) / (double) n;

        LocalRateLimiter gb = LocalRateLimiter.custom(RateLimitConfig.ofDefaults()).maxKeys(n).build();
        for (String k : keys) {
            gb.tryAcquire(k, null);
        }
        long withGb = used();
        System.out.printf("keys tracked: gb %d%n", gb.trackedKeys());
        double gbBytes = (withGb - withKeys) / (double) n;
        gb = null;
        long afterGb = used();

        Cache<String, Bucket> b4j = Caffeine.newBuilder().maximumSize(n).expireAfterAccess(Duration.ofMinutes(2)).build();
        for (String k : keys) {
            b4j.get(k, RateLimitLocalBenchmark::newBucket).tryConsume(1);
        }
        long withB4j = used();
        System.out.printf("keys tracked: bucket4j %d%n", b4j.estimatedSize());
        double b4jBytes = (withB4j - afterGb) / (double) n;
        System.out.printf("key string: %.1f B/key%n", keyBytes);
        System.out.printf("gb-ratelimit local store: %.1f B/key (excluding the key string)%n", gbBytes);
        System.out.printf("bucket4j in Caffeine: %.1f B/key (excluding the key string)%n", b4jBytes);
        System.out.printf("ratio bucket4j/gb: %.2f%n", b4jBytes / gbBytes);
        if (keys.length != n || b4j.estimatedSize() < 0) {
            throw new AssertionError();
        }
    }
}
