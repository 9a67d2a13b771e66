package io.generalbots.failover.health;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import io.generalbots.scaling.health.HealthCheckResult;
import io.generalbots.scaling.health.HealthStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer meters of a {@link HealthAggregator}; the only health class that touches Micrometer
 * (an optional dependency).
 *
 * <pre>{@code HealthMetrics.of(aggregator).bindTo(meterRegistry);}</pre>
 *
 * <ul>
 *   <li>{@code gb.health.status{status}}: 1 for the instance's current status ({@code healthy},
 *       {@code degraded}, {@code unhealthy}), 0 for the others;</li>
 *   <li>{@code gb.health.check.status{check,status}}: 1 for each check's current status
 *       ({@code up}, {@code degraded}, {@code down}; a check that errs, times out or has not run
 *       yet is {@code down});</li>
 *   <li>{@code gb.health.check.duration{check}} (timer, seconds): how long each run of a check took,
 *       retries included, with histogram buckets at a quarter, half and all of
 *       {@code health-timeout} (the SLO: "answers within the timeout"); a full percentile
 *       histogram with {@link #percentileHistogram(boolean)}.</li>
 * </ul>
 * The gauges read the aggregator's last results: they never run a check. The tag values are the
 * names of the configured checks: a fixed set.
 */
public final class HealthMetrics implements MeterBinder {

    /** Overall status gauges. */
    public static final String STATUS = "gb.health.status";
    /** Per-check status gauges. */
    public static final String CHECK_STATUS = "gb.health.check.status";
    /** Per-check duration timer. */
    public static final String CHECK_DURATION = "gb.health.check.duration";

    private final HealthAggregator aggregator;
    private boolean percentileHistogram;

    private HealthMetrics(HealthAggregator aggregator) {
        this.aggregator = Objects.requireNonNull(aggregator, "aggregator");
    }

    /**
     * Meters for an aggregator.
     *
     * @param aggregator the aggregator
     * @return the binder
     */
    public static HealthMetrics of(HealthAggregator aggregator) {
        return new HealthMetrics(aggregator);
    }

    /**
     * Whether the duration timers publish a full percentile histogram (about 70 buckets per check
     * in Prometheus) besides the three SLO buckets; default false.
     *
     * @param enabled whether to publish it
     * @return this
     */
    public HealthMetrics percentileHistogram(boolean enabled) {
        this.percentileHistogram = enabled;
        return this;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        for (HealthStatus s : HealthStatus.values()) {
            Gauge.builder(STATUS, aggregator, a -> a.report().status() == s ? 1 : 0)
                    .description("1 for the instance's current health status").tag("status", s.word())
                    .register(registry);
        }
        Duration timeout = aggregator.timeout();
        Map<String, Timer> timers = new java.util.HashMap<>();
        for (String check : aggregator.results().keySet()) {
            for (HealthCheckResult.Status s : HealthCheckResult.Status.values()) {
                Gauge.builder(CHECK_STATUS, aggregator, a -> statusOf(a, check) == s ? 1 : 0)
                        .description("1 for the health check's current status").tag("check", check)
                        .tag("status", s.name().toLowerCase(Locale.ROOT)).register(registry);
            }
            timers.put(check, Timer.builder(CHECK_DURATION)
                    .description("How long a run of the health check took, retries included")
                    .tag("check", check)
                    .serviceLevelObjectives(timeout.dividedBy(4), timeout.dividedBy(2), timeout)
                    .publishPercentileHistogram(percentileHistogram)
                    .register(registry));
        }
        Map<String, Timer> byCheck = Map.copyOf(timers);
        aggregator.addRecorder((check, nanos) -> {
            Timer t = byCheck.get(check);
            if (t != null) {
                t.record(nanos, TimeUnit.NANOSECONDS);
            }
        });
    }

    private static HealthCheckResult.Status statusOf(HealthAggregator a, String check) {
        HealthCheckResult r = a.results().get(check);
        return r == null ? HealthCheckResult.Status.DOWN : r.status();
    }
}
