package io.generalbots.sharding;

import java.util.Objects;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer gauges of a {@link ShardBalanceMonitor}'s last report (tag {@code table}); with
 * {@link ShardedDataSourceMetrics}, the only gb-sharding classes that touch Micrometer.
 *
 * <pre>{@code ShardBalanceMetrics.of(monitor).bindTo(meterRegistry);}</pre>
 *
 * <ul>
 *   <li>{@value #ROWS} (per {@code shard}): rows of the table on the shard at the last check;</li>
 *   <li>{@value #HOTSPOT} (per {@code shard}): 1 when the shard holds more than
 *       {@code shard-hotspot-ratio} times the mean;</li>
 *   <li>{@value #IMBALANCE}: the largest shard over the mean shard (1 is perfect balance; 0
 *       before the first check or while the table is empty);</li>
 *   <li>{@value #HOTSPOT_RATIO}: the configured {@code shard-hotspot-ratio}, so an alert can compare
 *       {@code gb_shard_imbalance > gb_shard_hotspot_ratio} without repeating the setting.</li>
 * </ul>
 * The monitor works on hash, range and geo shards: a fixed set of names.
 */
public final class ShardBalanceMetrics implements MeterBinder {

    /** Rows per shard. */
    public static final String ROWS = "gb.shard.rows";
    /** 1 for a hotspot shard. */
    public static final String HOTSPOT = "gb.shard.hotspot";
    /** Largest over mean. */
    public static final String IMBALANCE = "gb.shard.imbalance";
    /** The configured hotspot ratio. */
    public static final String HOTSPOT_RATIO = "gb.shard.hotspot.ratio";

    private final ShardBalanceMonitor monitor;

    private ShardBalanceMetrics(ShardBalanceMonitor monitor) {
        this.monitor = Objects.requireNonNull(monitor, "monitor");
    }

    /**
     * Gauges of a monitor.
     *
     * @param monitor the monitor
     * @return the binder
     */
    public static ShardBalanceMetrics of(ShardBalanceMonitor monitor) {
        return new ShardBalanceMetrics(monitor);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        for (String shard : monitor.shards()) {
            Gauge.builder(ROWS, monitor, m -> m.last().counts().getOrDefault(shard, 0L))
                    .tag("shard", shard).tag("table", monitor.table())
                    .description("Rows of the table on the shard at the last balance check").register(registry);
            Gauge.builder(HOTSPOT, monitor, m -> m.last().hotspots().contains(shard) ? 1 : 0)
                    .tag("shard", shard).tag("table", monitor.table())
                    .description("1 when the shard holds more than shard-hotspot-ratio x the mean").register(registry);
        }
        Gauge.builder(IMBALANCE, monitor, m -> m.last().imbalance()).tag("table", monitor.table())
                .description("Largest shard / mean shard at the last balance check").register(registry);
        Gauge.builder(HOTSPOT_RATIO, monitor, ShardBalanceMonitor::hotspotRatio).tag("table", monitor.table())
                .description("shard-hotspot-ratio: the imbalance over which a shard is a hotspot").register(registry);
    }
}
