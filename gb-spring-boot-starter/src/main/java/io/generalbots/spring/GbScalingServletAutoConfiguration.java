package io.generalbots.spring;

import java.util.function.Function;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

import io.generalbots.autoscale.serving.BotInstance;
import io.generalbots.failover.health.HealthAggregator;
import io.generalbots.ratelimit.RateLimitGate;
import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.health.HealthSettings;
import io.generalbots.servlet.HealthServlet;
import io.generalbots.servlet.InstanceControlServlet;
import io.generalbots.servlet.InstanceServletFilter;
import io.generalbots.servlet.RateLimitServletFilter;
import io.generalbots.servlet.ServletClientRequest;

/**
 * gb-scaling on a servlet application (Spring MVC on Tomcat, Jetty, Undertow): metering and drain of
 * every request ({@code gbInstanceFilter}, async-aware), the rate-limit filter on every path but the
 * excluded ones ({@code gbRateLimitFilter}; with {@code rate-limit-by,bot}, a request's bot is the
 * application's {@link GbBotResolver}'s answer, and startup fails without one), the seed's health
 * endpoints ({@code health-endpoint}, {@code /ready}, {@code /live}; {@code gbHealthServlet}) and the
 * instance's control endpoint ({@code gbInstanceControl}). Each registration backs off when the
 * application defines a bean of the same name.
 */
@AutoConfiguration(after = GbScalingAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = {"jakarta.servlet.Filter", "org.springframework.boot.web.servlet.FilterRegistrationBean"})
@ConditionalOnBean(RateLimitGate.class)
public class GbScalingServletAutoConfiguration {

    /** The user and bot of the request a {@link GbBotResolver} is given: none, as on WebFlux. */
    private static final Function<HttpServletRequest, String> NOBODY = request -> null;

    /** Creates the configuration. */
    public GbScalingServletAutoConfiguration() {
    }

    /**
     * The rate-limit filter; for {@code rate-limit-by,bot}, each request's bot is the application's
     * {@link GbBotResolver}'s answer.
     *
     * @param gate       the gate
     * @param config     the configuration (the health endpoint is never limited)
     * @param properties the properties
     * @param resolvers  the application's {@link GbBotResolver}, if it defines one
     * @return the registration
     * @throws IllegalStateException when the gate limits by bot and there is no {@link GbBotResolver}
     *         (see {@link BotResolverFailureAnalyzer})
     */
    @Bean
    @ConditionalOnMissingBean(name = "gbRateLimitFilter")
    @ConditionalOnProperty(prefix = "gb.scaling.web", name = "rate-limit", havingValue = "true", matchIfMissing = true)
    public FilterRegistrationBean<RateLimitServletFilter> gbRateLimitFilter(RateLimitGate gate, BotConfig config,
                                                                            GbScalingProperties properties,
                                                                            ObjectProvider<GbBotResolver> resolvers) {
        GbBotResolver bots = BotResolvers.of(gate, resolvers);
        RateLimitServletFilter.Builder builder = RateLimitServletFilter.custom(gate)
                .exclude(WebPaths.excluded(config, properties));
        if (bots != null) { // called only when the gate limits by bot
            builder.bot(request -> bots.bot(ServletClientRequest.of(request, NOBODY, NOBODY),
                    ServletClientRequest.pathOf(request)));
        }
        RateLimitServletFilter filter = builder.build();
        FilterRegistrationBean<RateLimitServletFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setName("gbRateLimitFilter");
        registration.addUrlPatterns("/*");
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        registration.setAsyncSupported(true);
        registration.setOrder(properties.getWeb().getRateLimitOrder());
        return registration;
    }

    /**
     * Metering and drain of every request but the health, control and Actuator endpoints: the
     * outermost filter, so that a refused or rate-limited request is still seen.
     *
     * @param instance the instance
     * @param config   the configuration
     * @return the registration
     */
    @Bean
    @ConditionalOnMissingBean(name = "gbInstanceFilter")
    public FilterRegistrationBean<InstanceServletFilter> gbInstanceFilter(BotInstance instance, BotConfig config) {
        InstanceServletFilter filter = InstanceServletFilter.custom(instance)
                .exclude(WebPaths.notMetered(config, instance.config().controlPath())).build();
        FilterRegistrationBean<InstanceServletFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setName("gbInstanceFilter");
        registration.addUrlPatterns("/*");
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        registration.setAsyncSupported(true);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    /**
     * The instance's control endpoint ({@code POST /api/instance/drain}), for loopback callers or
     * holders of {@code scale-control-token}.
     *
     * @param instance the instance
     * @return the registration
     */
    @Bean
    @ConditionalOnMissingBean(name = "gbInstanceControl")
    public ServletRegistrationBean<InstanceControlServlet> gbInstanceControl(BotInstance instance) {
        InstanceControlServlet servlet = new InstanceControlServlet(instance);
        ServletRegistrationBean<InstanceControlServlet> registration = new ServletRegistrationBean<>(servlet,
                servlet.urlPatterns().toArray(String[]::new));
        registration.setName("gbInstanceControl");
        return registration;
    }

    /**
     * The health endpoints, unless {@code health-enabled,false} or
     * {@code gb.scaling.web.health-endpoints=false}.
     *
     * @param aggregator the aggregator
     * @param config     the configuration
     * @param properties the properties
     * @return the registration
     */
    @Bean
    @ConditionalOnMissingBean(name = "gbHealthServlet")
    public ServletRegistrationBean<HealthServlet> gbHealthServlet(HealthAggregator aggregator, BotConfig config,
                                                                  GbScalingProperties properties) {
        HealthSettings health = HealthSettings.from(config);
        HealthServlet servlet = new HealthServlet(health.endpoint(), aggregator);
        ServletRegistrationBean<HealthServlet> registration = new ServletRegistrationBean<>(servlet,
                servlet.urlPatterns().toArray(String[]::new));
        registration.setName("gbHealthServlet");
        registration.setEnabled(health.enabled() && properties.getWeb().isHealthEndpoints());
        return registration;
    }
}
