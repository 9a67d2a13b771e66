package io.generalbots.spring.boot4;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

import io.generalbots.failover.health.HealthAggregator;
import io.generalbots.scaling.health.HealthReport;
import io.generalbots.spring.GbHealthStatus;

/**
 * The health aggregator as a Spring Boot 4.0 Actuator {@link HealthIndicator} named {@code gbScaling}:
 * {@code UP}, {@code DEGRADED} or {@code DOWN} (see {@link GbHealthStatus}) with the seed's report as
 * details. It reads the latest report and never waits on a check.
 */
public class GbScalingHealthIndicator implements HealthIndicator {

    private final HealthAggregator aggregator;

    /**
     * An indicator over an aggregator.
     *
     * @param aggregator the aggregator
     */
    public GbScalingHealthIndicator(HealthAggregator aggregator) {
        this.aggregator = aggregator;
    }

    @Override
    public Health health() {
        HealthReport report = aggregator.report();
        return Health.status(new Status(GbHealthStatus.code(report.status()))).withDetails(GbHealthStatus.details(report))
                .build();
    }
}
