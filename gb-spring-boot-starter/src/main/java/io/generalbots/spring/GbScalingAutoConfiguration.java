package io.generalbots.spring;

import java.util.Map;

import javax.sql.DataSource;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.generalbots.autoscale.serving.BotInstance;
import io.generalbots.autoscale.serving.InstanceSettings;
import io.generalbots.failover.breaker.BreakerMetrics;
import io.generalbots.failover.breaker.BreakerRegistry;
import io.generalbots.failover.breaker.CircuitBreakerSettings;
import io.generalbots.failover.health.DataSourceHealthCheck;
import io.generalbots.failover.health.HealthAggregator;
import io.generalbots.failover.health.HealthAggregatorSettings;
import io.generalbots.failover.health.HealthMetrics;
import io.generalbots.failover.postgres.FailoverDataSource;
import io.generalbots.ratelimit.ClientKeyResolver;
import io.generalbots.ratelimit.RateLimitGate;
import io.generalbots.ratelimit.RateLimitSettings;
import io.generalbots.ratelimit.RateLimiter;
import io.generalbots.ratelimit.RateLimiters;
import io.generalbots.scaling.Ticker;
import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.health.HealthCheck;

/**
 * The core of gb-scaling's auto-configuration: the bot's {@link BotConfig} (from {@code config.csv} or
 * {@code gb.scaling.keys.*}, validated whole at startup), the circuit {@link BreakerRegistry}, the
 * {@link RateLimiter} with its {@link ClientKeyResolver} and {@link RateLimitGate}, and the
 * {@link HealthAggregator}. Every bean backs off when the application defines its own of the same type.
 *
 * <p>Reuses what the application already has: its {@code DataSource} becomes the {@code database}
 * health check (the aggregator's critical check by default), its Lettuce connection factory carries
 * the Redis rate limiter ({@code rate-limit-redis}), and its {@code MeterRegistry} gets the meters.
 * Every {@link HealthCheck} bean is added to the aggregator under its bean name.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration",
        "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration"})
@ConditionalOnProperty(prefix = "gb.scaling", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(GbScalingProperties.class)
public class GbScalingAutoConfiguration {


    /** The name of the limiter: the prefix of its Redis keys and the {@code limiter} tag of its meters. */
    public static final String LIMITER_NAME = "gbrl";

    /** Creates the configuration. */
    public GbScalingAutoConfiguration() {
    }

    /**
     * The bot's configuration, every problem of it checked at once; warnings are logged.
     *
     * @param properties  the properties
     * @param environment the environment
     * @param loader      the resource loader
     * @return the configuration
     * @throws io.generalbots.scaling.config.ConfigException with every error (see {@link ConfigFailureAnalyzer})
     */
    @Bean
    @ConditionalOnMissingBean
    public BotConfig gbBotConfig(GbScalingProperties properties, Environment environment, ResourceLoader loader) {
        BotConfig config = BotConfigs.load(properties, environment, loader);
        config.validateOrThrow(properties.isStrict());   // throws every error at once, logs every warning
        return config;
    }

    /**
     * One circuit breaker per dependency, from {@code circuit-breaker-*}.
     *
     * @param config the configuration
     * @return the registry
     */
    @Bean
    @ConditionalOnMissingBean
    public BreakerRegistry gbBreakerRegistry(BotConfig config) {
        return BreakerRegistry.of(CircuitBreakerSettings.from(config));
    }

    /**
     * The {@code rate-limit-*} settings.
     *
     * @param config the configuration
     * @return the settings
     */
    @Bean
    @ConditionalOnMissingBean
    public RateLimitSettings gbRateLimitSettings(BotConfig config) {
        return RateLimitSettings.from(config);
    }

    /**
     * Client keys ({@code rate-limit-by}), forwarding headers believed only from
     * {@code rate-limit-trusted-proxies}.
     *
     * @param settings the settings
     * @return the resolver
     */
    @Bean
    @ConditionalOnMissingBean
    public ClientKeyResolver gbClientKeyResolver(RateLimitSettings settings) {
        return ClientKeyResolver.of(settings);
    }

    /**
     * The limiter: disabled, local, or on Redis when {@code rate-limit-redis} is set (through the
     * application's Lettuce connection factory when it has one).
     *
     * @param settings the settings
     * @return the limiter
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public RateLimiter gbRateLimiter(RateLimitSettings settings) {
        return RateLimiters.of(settings, LIMITER_NAME, Ticker.system());
    }

    /**
     * The gate the web filters decide with (meters are added in {@link Metrics} when Micrometer is there).
     *
     * @param limiter  the limiter
     * @param resolver the resolver
     * @return the gate
     */
    @Bean
    @ConditionalOnMissingBean
    public RateLimitGate gbRateLimitGate(RateLimiter limiter, ClientKeyResolver resolver) {
        return RateLimitGate.of(limiter, resolver);
    }

    /**
     * The instance side: meters the requests the instance serves and drains it
     * ({@code scale-drain-seconds}, {@code scale-control-token}); the web filters admit every request
     * through it, and the health report shows its load and {@code draining}.
     *
     * @param config the configuration
     * @return the instance
     */
    @Bean
    @ConditionalOnMissingBean
    public BotInstance gbBotInstance(BotConfig config) {
        return BotInstance.of(InstanceSettings.from(config));
    }

    /**
     * The health aggregator over every {@link HealthCheck} bean, the application's {@code DataSource}
     * ({@code database}) and the breakers ({@code circuit-breakers}), refreshed in the background.
     *
     * @param config      the configuration
     * @param properties  the properties
     * @param environment the environment (version)
     * @param breakers    the breakers
     * @param dataSource  the application's data source, if one
     * @param beans       the bean factory (the checks)
     * @param instance    the instance side, if any (draining turns the report 503)
     * @return the started aggregator
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public HealthAggregator gbHealthAggregator(BotConfig config, GbScalingProperties properties,
                                               Environment environment, BreakerRegistry breakers,
                                               ObjectProvider<DataSource> dataSource, ListableBeanFactory beans,
                                               ObjectProvider<BotInstance> instance) {
        HealthAggregatorSettings settings = HealthAggregatorSettings.from(config);
        HealthAggregator.Builder builder = HealthAggregator.custom(settings).version(version(properties, environment));
        Map<String, HealthCheck> checks = beans.getBeansOfType(HealthCheck.class);
        checks.forEach(builder::check);
        if (!checks.containsKey("database")) {
            DataSource ds = dataSource.getIfUnique();
            if (ds instanceof FailoverDataSource failover) {
                builder.check("database", failover.healthCheck());
            } else if (ds != null) {
                builder.check("database", new DataSourceHealthCheck(ds));
            }
        }
        if (!checks.containsKey("circuit-breakers")) {
            builder.check("circuit-breakers", breakers.healthCheck());
        }
        BotInstance botInstance = instance.getIfUnique();
        if (botInstance != null) {
            builder.instance(botInstance);
        }
        HealthAggregator aggregator = builder.build();
        return settings.health().enabled() ? aggregator.start() : aggregator;
    }

    static String version(GbScalingProperties properties, Environment environment) {
        String v = properties.getVersion();
        if (v == null || v.isBlank()) {
            v = environment.getProperty("spring.application.version");
        }
        return v == null || v.isBlank() ? "unknown" : v;
    }

    /** The limiter on the application's Redis (Spring Data Redis with Lettuce). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory",
            "io.lettuce.core.RedisClient"})
    @ConditionalOnBotConfigKey("rate-limit-redis")
    static class SpringRedisLimiter {

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean(RateLimiter.class)
        @ConditionalOnBean(LettuceConnectionFactory.class)
        RateLimiter gbRateLimiter(RateLimitSettings settings, LettuceConnectionFactory factory) {
            return SpringRedisRateLimiters.create(settings, LIMITER_NAME, factory);
        }
    }

    /** Meters in the application's registry: the limiter's decisions, the breakers, the health. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
    static class Metrics {

        @Bean
        @ConditionalOnMissingBean(name = "gbRateLimitMeters")
        RateLimitMeters gbRateLimitMeters(RateLimiter limiter) {
            return new RateLimitMeters(limiter);
        }

        @Bean
        @ConditionalOnMissingBean
        RateLimitGate gbRateLimitGate(RateLimitMeters meters, ClientKeyResolver resolver) {
            return RateLimitGate.of(meters.limiter(), resolver);
        }

        @Bean
        @ConditionalOnMissingBean
        BreakerMetrics gbBreakerMetrics(BreakerRegistry breakers) {
            return BreakerMetrics.of(breakers);
        }

        @Bean
        @ConditionalOnMissingBean
        HealthMetrics gbHealthMetrics(HealthAggregator aggregator) {
            return HealthMetrics.of(aggregator);
        }
    }
}
