package io.generalbots.failover.health;

import java.util.Objects;

import io.generalbots.scaling.health.HealthCheckResult;
import io.generalbots.scaling.health.HealthStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer meters of a {@link HealthAggregator}; the only health class that touches Micrometer.
 * <ul>
 *   <li>{@code gb.health.status{status}}: 1 for the current overall status, 0 for the others</li>
 *   <li>{@code gb.health.check{name}}: 1 while the check is ok, 0.5 while degraded, 0 when down,
 *       erring, timed out or pending</li>
 * </ul>
 * The gauges read the aggregator's last results: they never run a check.
 *
 * <pre>{@code new HealthMetrics(aggregator).bindTo(meterRegistry);}</pre>
 */
public final class HealthMetrics implements MeterBinder {

    private final HealthAggregator aggregator;

    /**
     * Meters for an aggregator.
     *
     * @param aggregator the aggregator
     */
    public HealthMetrics(HealthAggregator aggregator) {
        this.aggregator = Objects.requireNonNull(aggregator, "aggregator");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (HealthStatus s : HealthStatus.values()) {
            Gauge.builder("gb.health.status", aggregator, a -> a.report().status() == s ? 1 : 0)
                    .description("1 for the instance's current health status").tag("status", s.word()).register(registry);
        }
        for (String name : aggregator.results().keySet()) {
            Gauge.builder("gb.health.check", aggregator, a -> value(a.results().get(name)))
                    .description("1 ok, 0.5 degraded, 0 down").tag("name", name).register(registry);
        }
    }

    private static double value(HealthCheckResult r) {
        return switch (r.status()) {
            case UP -> 1;
            case DEGRADED -> 0.5;
            case DOWN -> 0;
        };
    }
}
