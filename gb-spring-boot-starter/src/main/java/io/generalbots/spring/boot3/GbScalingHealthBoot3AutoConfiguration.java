package io.generalbots.spring.boot3;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import io.generalbots.failover.health.HealthAggregator;
import io.generalbots.spring.GbScalingAutoConfiguration;

/** Registers {@link GbScalingHealthIndicator} on Spring Boot 3.5 (Actuator's health API in {@code org.springframework.boot.actuate.health}). */
@AutoConfiguration(after = GbScalingAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
@ConditionalOnBean(HealthAggregator.class)
public class GbScalingHealthBoot3AutoConfiguration {

    /** Creates the configuration. */
    public GbScalingHealthBoot3AutoConfiguration() {
    }

    /**
     * The {@code gbScaling} health contributor.
     *
     * @param aggregator the aggregator
     * @return the indicator
     */
    @Bean
    @ConditionalOnMissingBean(name = "gbScalingHealthIndicator")
    public GbScalingHealthIndicator gbScalingHealthIndicator(HealthAggregator aggregator) {
        return new GbScalingHealthIndicator(aggregator);
    }
}
