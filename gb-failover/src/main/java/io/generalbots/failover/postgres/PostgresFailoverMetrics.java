package io.generalbots.failover.postgres;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer meters of a {@link FailoverDataSource} (tag {@code pool}: the data source's name). A
 * class of its own so that gb-failover works without micrometer-core on the class path.
 *
 * <pre>{@code PostgresFailoverMetrics.of(db).bindTo(meterRegistry);}</pre>
 *
 * <ul>
 *   <li>{@value #PRIMARY_CHANGES} (counter): changes of primary the data source noticed (a
 *       failover or switchover); the first primary found is not a change;</li>
 *   <li>{@value #PRIMARY_KNOWN} (gauge): 1 while a primary is known and not marked stale by an
 *       error, 0 while the data source looks for one;</li>
 *   <li>{@value #DISCOVERY} (timer, seconds, tag {@code result} = {@code found}, {@code not_found},
 *       {@code error}): each primary discovery (Patroni: asking every node's {@code GET /primary};
 *       multihost: one probe connection), with histogram buckets at half and all of the
 *       discovery's own timeout ({@code patroniTimeout}, or {@code connectionTimeout} for
 *       multihost);</li>
 *   <li>HikariCP's own pool meters ({@code hikaricp.connections.*}, tag {@code pool}, for the write
 *       pool and the {@code NAME-read} pool), installed on the first binding only: HikariCP
 *       accepts one registry per pool.</li>
 * </ul>
 */
public final class PostgresFailoverMetrics implements MeterBinder {

    /** Name of the counter of primary changes. */
    public static final String PRIMARY_CHANGES = "gb.failover.postgres.primary.changes";
    /** Name of the gauge that is 1 while a primary is known. */
    public static final String PRIMARY_KNOWN = "gb.failover.postgres.primary.known";
    /** Name of the timer of primary discoveries. */
    public static final String DISCOVERY = "gb.failover.postgres.discovery";

    private static final String[] RESULTS = {"found", "not_found", "error"};

    private final FailoverDataSource db;

    private PostgresFailoverMetrics(FailoverDataSource db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /**
     * Meters for a data source.
     *
     * @param db the data source
     * @return the binder
     */
    public static PostgresFailoverMetrics of(FailoverDataSource db) {
        return new PostgresFailoverMetrics(db);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        String pool = db.name();
        Counter changes = Counter.builder(PRIMARY_CHANGES).tag("pool", pool)
                .description("Changes of PostgreSQL primary noticed by the pool").register(registry);
        db.addListener(event -> {
            if (event instanceof FailoverEvent.PrimaryChanged) {
                changes.increment();
            }
        });
        Gauge.builder(PRIMARY_KNOWN, db, d -> d.primary().isPresent() ? 1 : 0).tag("pool", pool)
                .description("1 while the pool knows the current primary").register(registry);
        Duration budget = db.config().discovery() == PrimaryDiscoveryMode.PATRONI
                ? db.config().patroniTimeout() : db.config().connectionTimeout();
        Timer[] timers = new Timer[RESULTS.length];
        for (int i = 0; i < RESULTS.length; i++) {
            timers[i] = Timer.builder(DISCOVERY).tag("pool", pool).tag("result", RESULTS[i])
                    .description("Looking for the PostgreSQL primary")
                    .serviceLevelObjectives(budget.dividedBy(2), budget)
                    .register(registry);
        }
        db.addRecorder((nanos, result) -> timers[result].record(nanos, TimeUnit.NANOSECONDS));
        for (HikariDataSource h : db.pools()) {
            if (h.getMetricRegistry() == null && h.getMetricsTrackerFactory() == null) {
                h.setMetricRegistry(registry);
            }
        }
    }
}
