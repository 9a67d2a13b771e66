package io.generalbots.spring;

import java.util.function.Function;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
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
import io.generalbots.ratelimit.ClientKeySource;
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
 *
 * <p><b>One filter or two.</b> Each filter registered with the container costs every request a
 * lookup while the container builds its chain (Tomcat takes a lock for each). So when nothing has to
 * run between metering and rate limiting, the rate-limit filter runs inside the metering filter
 * ({@link InstanceServletFilter.Builder#then}) and its own registration is disabled: that is when
 * both registrations are the starter's, {@code rate-limit-by} is not {@code user}, Spring Security is
 * absent (no {@code springSecurityFilterChain} bean: its chain, CORS included, stays in front of the
 * limiter) and {@code gb.scaling.web.rate-limit-order} is unset. Otherwise the rate-limit filter is a
 * filter of its own at {@code rate-limit-order} (default {@code -90}, after Spring Security).
 */
@AutoConfiguration(after = GbScalingAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = {"jakarta.servlet.Filter", "org.springframework.boot.web.servlet.FilterRegistrationBean"})
@ConditionalOnBean(RateLimitGate.class)
public class GbScalingServletAutoConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(GbScalingServletAutoConfiguration.class);

    /** The user and bot of the request a {@link GbBotResolver} is given: none, as on WebFlux. */
    private static final Function<HttpServletRequest, String> NOBODY = request -> null;

    /** The name of Spring Security's filter chain bean. */
    static final String SECURITY_FILTER_CHAIN = "springSecurityFilterChain";

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
     * @param beans      the application's beans (is Spring Security's filter chain one of them?)
     * @return the registration
     * @throws IllegalStateException when the gate limits by bot and there is no {@link GbBotResolver}
     *         (see {@link BotResolverFailureAnalyzer})
     */
    @Bean
    @ConditionalOnMissingBean(name = "gbRateLimitFilter")
    @ConditionalOnProperty(prefix = "gb.scaling.web", name = "rate-limit", havingValue = "true", matchIfMissing = true)
    public FilterRegistrationBean<RateLimitServletFilter> gbRateLimitFilter(RateLimitGate gate, BotConfig config,
                                                                            GbScalingProperties properties,
                                                                            ObjectProvider<GbBotResolver> resolvers,
                                                                            ListableBeanFactory beans) {
        GbBotResolver bots = BotResolvers.of(gate, resolvers);
        RateLimitServletFilter.Builder builder = RateLimitServletFilter.custom(gate)
                .exclude(WebPaths.excluded(config, properties));
        if (bots != null) { // called only when the gate limits by bot
            builder.bot(request -> bots.bot(ServletClientRequest.of(request, NOBODY, NOBODY),
                    ServletClientRequest.pathOf(request)));
        }
        RateLimitServletFilter filter = builder.build();
        // the one place that decides whether the limiter may run inside gbInstanceFilter
        boolean mayRunInside = properties.getWeb().getRateLimitOrder() == null
                && gate.resolver().by().kind() != ClientKeySource.Kind.USER
                && !beans.containsBean(SECURITY_FILTER_CHAIN);
        RateLimitRegistration registration = new RateLimitRegistration(filter, mayRunInside);
        registration.setName("gbRateLimitFilter");
        registration.addUrlPatterns("/*");
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        registration.setAsyncSupported(true);
        registration.setOrder(properties.getWeb().rateLimitOrderOrDefault());
        return registration;
    }

    /**
     * Metering and drain of every request but the health, control and Actuator endpoints: the
     * outermost filter, so that a refused or rate-limited request is still seen. When nothing has to
     * run between them (see the class description), the starter's rate-limit filter runs inside it
     * and {@code gbRateLimitFilter} is disabled.
     *
     * @param instance the instance
     * @param config   the configuration
     * @param beans    the application's beans (for the starter's {@code gbRateLimitFilter})
     * @return the registration
     */
    @Bean
    @ConditionalOnMissingBean(name = "gbInstanceFilter")
    public FilterRegistrationBean<InstanceServletFilter> gbInstanceFilter(BotInstance instance, BotConfig config,
                                                                          ListableBeanFactory beans) {
        InstanceServletFilter.Builder builder = InstanceServletFilter.custom(instance)
                .exclude(WebPaths.notMetered(config, instance.config().controlPath()));
        RateLimitRegistration limits = inside(beans);
        if (limits != null) {
            builder.then(limits.getFilter());
            limits.setEnabled(false);
            LOG.debug("instance {}: gbRateLimitFilter runs inside gbInstanceFilter (one filter in the container's"
                    + " chain)", instance.name());
        }
        InstanceServletFilter filter = builder.build();
        FilterRegistrationBean<InstanceServletFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setName("gbInstanceFilter");
        registration.addUrlPatterns("/*");
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        registration.setAsyncSupported(true);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    /** The starter's rate-limit registration when it may run inside the metering filter, else null. */
    private static RateLimitRegistration inside(ListableBeanFactory beans) {
        return beans.containsBean("gbRateLimitFilter")
                && beans.getBean("gbRateLimitFilter") instanceof RateLimitRegistration ours && ours.mayRunInside
                ? ours : null;
    }

    /**
     * The starter's {@code gbRateLimitFilter}, which knows whether it may run inside the metering
     * filter. An application's own {@code gbRateLimitFilter} bean never does.
     */
    static final class RateLimitRegistration extends FilterRegistrationBean<RateLimitServletFilter> {
        private final boolean mayRunInside;

        RateLimitRegistration(RateLimitServletFilter filter, boolean mayRunInside) {
            super(filter);
            this.mayRunInside = mayRunInside;
        }
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
