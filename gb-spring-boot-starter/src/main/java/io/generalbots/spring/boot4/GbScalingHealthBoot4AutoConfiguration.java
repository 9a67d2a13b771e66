package io.generalbots.spring.boot4;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import io.generalbots.failover.health.HealthAggregator;
import io.generalbots.spring.GbScalingAutoConfiguration;

/** Registers {@link GbScalingHealthIndicator} on Spring Boot 4.0 (its health API moved to {@code org.springframework.boot.health.contributor}, module spring-boot-health). */
@AutoConfiguration(after = GbScalingAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnBean(HealthAggregator.class)
public class GbScalingHealthBoot4AutoConfiguration {

    /** Creates the configuration. */
    public GbScalingHealthBoot4AutoConfiguration() {
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
