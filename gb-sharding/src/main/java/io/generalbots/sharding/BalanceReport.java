package io.generalbots.sharding;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongUnaryOperator;

/**
 * How evenly keys or rows spread over shards: per-shard counts, the max/mean imbalance, and the
 * shards holding more than {@code hotspotRatio} times the mean.
 *
 * @param counts       shard to key or row count, in shard order (shards with 0 included)
 * @param total        sum of the counts
 * @param mean         total / number of shards
 * @param max          the largest count
 * @param imbalance    max / mean (1 is perfectly even; 0 when there is nothing)
 * @param hotspotRatio the ratio over which a shard is a hotspot
 * @param hotspots     shards whose count exceeds {@code hotspotRatio * mean}
 */
public record BalanceReport(Map<String, Long> counts, long total, double mean, long max, double imbalance,
                            double hotspotRatio, List<String> hotspots) {

    /**
     * Creates a report.
     *
     * @param counts       per-shard counts
     * @param total        the sum
     * @param mean         the mean
     * @param max          the largest
     * @param imbalance    max / mean
     * @param hotspotRatio the hotspot ratio
     * @param hotspots     the hotspots
     */
    public BalanceReport {
        counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
        hotspots = List.copyOf(hotspots);
    }

    /**
     * The report of given counts.
     *
     * @param counts       shard to count; every shard should be present, with 0 if empty
     * @param hotspotRatio the ratio over which a shard is a hotspot (at least 1)
     * @return the report
     */
    public static BalanceReport of(Map<String, Long> counts, double hotspotRatio) {
        io.generalbots.scaling.Checks.requireRange("shard-hotspot-ratio", hotspotRatio, 1, 1000);
        long total = 0;
        long max = 0;
        for (long c : counts.values()) {
            total += c;
            max = Math.max(max, c);
        }
        double mean = counts.isEmpty() ? 0 : (double) total / counts.size();
        List<String> hot = new ArrayList<>();
        counts.forEach((shard, c) -> {
            if (mean > 0 && c > hotspotRatio * mean) {
                hot.add(shard);
            }
        });
        return new BalanceReport(counts, total, mean, max, mean == 0 ? 0 : max / mean, hotspotRatio, hot);
    }

    /**
     * The spread of sampled keys over a router's shards: keys {@code keyOf(0) .. keyOf(n-1)}.
     *
     * @param router       a hash, range or geo router
     * @param n            how many keys
     * @param keyOf        index to key (e.g. a random generator, or the identity)
     * @param hotspotRatio the hotspot ratio
     * @return the report
     */
    public static BalanceReport sample(ShardRouter router, long n, LongUnaryOperator keyOf, double hotspotRatio) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String target : router.targets()) {
            counts.put(target, 0L);
        }
        for (long i = 0; i < n; i++) {
            counts.merge(router.route(keyOf.applyAsLong(i)), 1L, Long::sum);
        }
        return of(counts, hotspotRatio);
    }

    /**
     * Whether any shard is a hotspot.
     *
     * @return true if {@link #hotspots()} is not empty
     */
    public boolean hasHotspot() {
        return !hotspots.isEmpty();
    }
}
