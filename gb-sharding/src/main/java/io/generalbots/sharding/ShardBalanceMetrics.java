package io.generalbots.sharding;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Micrometer gauges of a {@link ShardBalanceMonitor}'s last report: {@code gb.shard.rows} per
 * shard (tags {@code shard}, {@code table}), {@code gb.shard.imbalance} (max/mean) and
 * {@code gb.shard.hotspot} per shard (1 when a hotspot). Only this class touches Micrometer, so
 * gb-sharding works without it on the classpath.
 */
public final class ShardBalanceMetrics {

    private ShardBalanceMetrics() {
    }

    /**
     * Registers the gauges.
     *
     * @param monitor  the monitor
     * @param registry the registry
     */
    public static void bind(ShardBalanceMonitor monitor, MeterRegistry registry) {
        for (String shard : monitor.shards()) {
            Gauge.builder("gb.shard.rows", monitor, m -> m.last().counts().getOrDefault(shard, 0L))
                    .tag("shard", shard).tag("table", monitor.table())
                    .description("Rows of the table on the shard at the last balance check").register(registry);
            Gauge.builder("gb.shard.hotspot", monitor, m -> m.last().hotspots().contains(shard) ? 1 : 0)
                    .tag("shard", shard).tag("table", monitor.table())
                    .description("1 when the shard holds more than shard-hotspot-ratio x the mean").register(registry);
        }
        Gauge.builder("gb.shard.imbalance", monitor, m -> m.last().imbalance()).tag("table", monitor.table())
                .description("Largest shard / mean shard at the last balance check").register(registry);
    }
}
