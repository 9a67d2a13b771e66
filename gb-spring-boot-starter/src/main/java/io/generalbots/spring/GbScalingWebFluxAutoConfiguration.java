package io.generalbots.spring;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

import io.generalbots.autoscale.serving.BotInstance;
import io.generalbots.failover.health.HealthAggregator;
import io.generalbots.ratelimit.RateLimitGate;
import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.health.HealthSettings;

/**
 * gb-scaling on a WebFlux application (Netty and the other reactive servers): metering, drain and the
 * control endpoint ({@link GbInstanceWebFilter}), the non-blocking {@link GbRateLimitWebFilter} (with
 * {@code rate-limit-by,bot}, a request's bot is the application's {@link GbBotResolver}'s answer, and
 * startup fails without one) and the seed's health endpoints ({@link GbHealthWebFilter}).
 */
@AutoConfiguration(after = GbScalingAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(name = "org.springframework.web.server.WebFilter")
@ConditionalOnBean(RateLimitGate.class)
public class GbScalingWebFluxAutoConfiguration {

    /** Creates the configuration. */
    public GbScalingWebFluxAutoConfiguration() {
    }

    /**
     * The rate-limit web filter; for {@code rate-limit-by,bot}, each request's bot is the
     * application's {@link GbBotResolver}'s answer.
     *
     * @param gate       the gate
     * @param config     the configuration
     * @param properties the properties
     * @param resolvers  the application's {@link GbBotResolver}, if it defines one
     * @return the filter
     * @throws IllegalStateException when the gate limits by bot and there is no {@link GbBotResolver}
     *         (see {@link BotResolverFailureAnalyzer})
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "gb.scaling.web", name = "rate-limit", havingValue = "true", matchIfMissing = true)
    public GbRateLimitWebFilter gbRateLimitWebFilter(RateLimitGate gate, BotConfig config,
                                                     GbScalingProperties properties,
                                                     ObjectProvider<GbBotResolver> resolvers) {
        return new GbRateLimitWebFilter(gate, WebPaths.excluded(config, properties),
                properties.getWeb().rateLimitOrderOrDefault(), BotResolvers.of(gate, resolvers));
    }

    /**
     * Metering, drain and the control endpoint.
     *
     * @param instance the instance
     * @param config   the configuration
     * @return the filter
     */
    @Bean
    @ConditionalOnMissingBean
    public GbInstanceWebFilter gbInstanceWebFilter(BotInstance instance, BotConfig config) {
        return new GbInstanceWebFilter(instance, WebPaths.notMetered(config, instance.config().controlPath()));
    }

    /**
     * The health endpoints, unless {@code health-enabled,false} or
     * {@code gb.scaling.web.health-endpoints=false}.
     *
     * @param aggregator the aggregator
     * @param config     the configuration
     * @return the filter
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "gb.scaling.web", name = "health-endpoints", havingValue = "true",
            matchIfMissing = true)
    public GbHealthWebFilter gbHealthWebFilter(HealthAggregator aggregator, BotConfig config) {
        HealthSettings health = HealthSettings.from(config);
        return new GbHealthWebFilter(health.endpoint(), aggregator, health.enabled());
    }
}
