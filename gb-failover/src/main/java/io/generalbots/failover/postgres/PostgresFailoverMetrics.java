package io.generalbots.failover.postgres;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Micrometer meters of a {@link FailoverDataSource}: the counter
 * {@value #PRIMARY_CHANGES} (tag {@code pool}), one per change of primary. A class of its own so
 * that gb-failover works without micrometer-core on the class path: only loaded when called.
 */
public final class PostgresFailoverMetrics {

    /** Name of the counter of primary changes. */
    public static final String PRIMARY_CHANGES = "gb.failover.postgres.primary.changes";

    private PostgresFailoverMetrics() {
    }

    /**
     * Registers the counter and counts every later change of primary.
     *
     * @param db       the data source
     * @param registry the registry
     * @return the counter
     */
    public static Counter bind(FailoverDataSource db, MeterRegistry registry) {
        Counter counter = Counter.builder(PRIMARY_CHANGES).tag("pool", db.name())
                .description("Changes of PostgreSQL primary noticed by the pool").register(registry);
        db.addListener(event -> {
            if (event instanceof FailoverEvent.PrimaryChanged) {
                counter.increment();
            }
        });
        return counter;
    }
}
