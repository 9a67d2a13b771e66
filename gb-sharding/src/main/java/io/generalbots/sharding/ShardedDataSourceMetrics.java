package io.generalbots.sharding;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer meters of a {@link ShardedDataSource}; with {@link ShardBalanceMetrics}, the only
 * gb-sharding classes that touch Micrometer (an optional dependency). Bind before the first
 * connection: pools opened earlier have no HikariCP meters.
 *
 * <pre>{@code ShardedDataSourceMetrics.of(shards).bindTo(meterRegistry);}</pre>
 *
 * <ul>
 *   <li>{@value #ACQUIRE} (timer, seconds, tags {@code shard} and {@code result} = {@code ok} or
 *       {@code error}): each {@code getConnection}/{@code connectionTo}, from the call to the
 *       connection in hand — waiting for room in the connection budget, opening the shard's pool,
 *       borrowing from it — with histogram buckets at a quarter, half and all of
 *       {@code shard-connect-timeout};</li>
 *   <li>{@value #POOLS_OPEN} and {@value #POOLS_MAX} (gauges): pools open now, and the most the
 *       budget allows;</li>
 *   <li>{@value #EVICTIONS} (counter): pools evicted to stay within the budget (a steady rate means
 *       the budget is too small for the shards or tenants in use);</li>
 *   <li>for hash, range and geo strategies, HikariCP's own {@code hikaricp.connections.*} meters
 *       of each pool (tag {@code pool}: the shard's name), installed on the first binding only.</li>
 * </ul>
 *
 * <p>Cardinality: the {@code shard} tag takes the router's fixed shard names. With
 * {@code shard-strategy,tenant} every tenant has a database and a pool of its own, so the tag is
 * the constant {@code tenant} and HikariCP's per-pool meters are not installed: neither grows with
 * the number of tenants.
 */
public final class ShardedDataSourceMetrics implements MeterBinder {

    /** Connection acquisition timer. */
    public static final String ACQUIRE = "gb.shard.pool.acquire";
    /** Pools open now. */
    public static final String POOLS_OPEN = "gb.shard.pools.open";
    /** The most pools the budget allows. */
    public static final String POOLS_MAX = "gb.shard.pools.max";
    /** Pools evicted to stay within the budget. */
    public static final String EVICTIONS = "gb.shard.pool.evictions";
    /** The {@code shard} tag value of every tenant database. */
    public static final String TENANT = "tenant";

    private final ShardedDataSource shards;

    private ShardedDataSourceMetrics(ShardedDataSource shards) {
        this.shards = Objects.requireNonNull(shards, "shards");
    }

    /**
     * Meters for a sharded data source.
     *
     * @param shards the data source
     * @return the binder
     */
    public static ShardedDataSourceMetrics of(ShardedDataSource shards) {
        return new ShardedDataSourceMetrics(shards);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        Gauge.builder(POOLS_OPEN, shards, s -> s.openShards().size())
                .description("Shard pools open now").register(registry);
        Gauge.builder(POOLS_MAX, shards, ShardedDataSource::maxPools)
                .description("The most shard pools the connection budget allows").register(registry);
        Counter evictions = Counter.builder(EVICTIONS)
                .description("Shard pools evicted to stay within the connection budget").register(registry);
        List<String> targets = shards.router().targets();
        Duration timeout = shards.settings().connectTimeout();
        Map<String, Timer[]> byShard = new HashMap<>();
        for (String shard : targets.isEmpty() ? List.of(TENANT) : targets) {
            byShard.put(shard, new Timer[] {timer(registry, shard, "error", timeout), timer(registry, shard, "ok", timeout)});
        }
        Timer[] tenants = targets.isEmpty() ? byShard.get(TENANT) : null;
        Map<String, Timer[]> fixed = Map.copyOf(byShard);
        shards.addRecorder(new ShardedDataSource.PoolRecorder() {
            @Override
            public void acquired(String shard, long nanos, boolean ok) {
                Timer[] t = tenants != null ? tenants : fixed.get(shard);
                if (t != null) {
                    t[ok ? 1 : 0].record(nanos, TimeUnit.NANOSECONDS);
                }
            }

            @Override
            public void evicted(String shard) {
                evictions.increment();
            }
        });
        if (!targets.isEmpty()) {
            shards.hikariRegistry(registry);
        }
    }

    private static Timer timer(MeterRegistry registry, String shard, String result, Duration timeout) {
        return Timer.builder(ACQUIRE).tag("shard", shard).tag("result", result)
                .description("Getting a connection to a shard: budget wait, pool opening and borrowing")
                .serviceLevelObjectives(timeout.dividedBy(4), timeout.dividedBy(2), timeout)
                .register(registry);
    }
}
