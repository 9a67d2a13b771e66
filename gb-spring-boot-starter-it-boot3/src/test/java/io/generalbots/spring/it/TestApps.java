package io.generalbots.spring.it;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.generalbots.failover.breaker.BreakerRegistry;
import io.generalbots.ratelimit.RateLimiter;
import io.generalbots.scaling.health.HealthCheck;
import io.generalbots.scaling.health.HealthCheckResult;
import io.generalbots.spring.GbBotResolver;
import io.lettuce.core.event.DefaultEventBus;
import io.lettuce.core.event.EventBus;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import reactor.core.scheduler.Schedulers;

/** The applications of the tests: a small bot API on Spring MVC or WebFlux, and the gb-scaling starter. */
final class TestApps {

    /** What the {@code llm} check of {@link WithChecks} answers. */
    static final AtomicReference<HealthCheckResult> LLM = new AtomicReference<>(HealthCheckResult.up());
    /** What the {@code database} check of {@link WithChecks} answers. */
    static final AtomicReference<HealthCheckResult> DATABASE = new AtomicReference<>(HealthCheckResult.up());

    private TestApps() {
    }

    /** The bot's API: works on Spring MVC and on WebFlux. */
    @RestController
    public static class Api {
        @GetMapping("/api/boom")
        public String boom() {
            throw new IllegalStateException("boom");
        }

        @GetMapping("/api/**")
        public String ok() {
            return "ok";
        }
    }

    /** The shortest application: the API and the starter. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Api.class)
    public static class App {
    }

    /** With two health checks of its own: {@code llm} (degrades) and {@code database} (critical). */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Api.class)
    public static class WithChecks {
        @Bean
        HealthCheck llm() {
            return LLM::get;
        }

        @Bean
        HealthCheck database() {
            return DATABASE::get;
        }
    }

    /** Defines its own limiter and breakers: the starter must back off. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Api.class)
    public static class OwnBeans {
        static final RateLimiter LIMITER = RateLimiter.disabled();
        static final BreakerRegistry BREAKERS = BreakerRegistry.ofDefaults();

        @Bean
        RateLimiter myLimiter() {
            return LIMITER;
        }

        @Bean
        BreakerRegistry myBreakers() {
            return BREAKERS;
        }
    }

    /**
     * Defines the application's Lettuce resources (Boot's own {@code lettuceClientResources} backs
     * off), with an event bus that records every connection made on them.
     */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Api.class)
    public static class OwnLettuceResources {
        /** The remote address of every connection activated on the application's resources. */
        static final List<String> CONNECTIONS = new CopyOnWriteArrayList<>();
        private static final EventBus BUS = new DefaultEventBus(Schedulers.immediate());

        static {
            BUS.get().filter(ConnectionActivatedEvent.class::isInstance)
                    .subscribe(e -> CONNECTIONS.add(((ConnectionActivatedEvent) e).remoteAddress().toString()));
        }

        @Bean(destroyMethod = "shutdown")
        ClientResources lettuceClientResources() {
            return DefaultClientResources.builder().eventBus(BUS).build();
        }
    }

    /**
     * Tells each request's bot for {@code rate-limit-by,bot}: the segment after {@code /api/bots/} in
     * the (decoded) path, else none.
     */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Api.class)
    public static class WithBots {
        @Bean
        GbBotResolver botFromPath() {
            return (request, path) -> {
                String[] segments = path.split("/"); // "", "api", "bots", BOT, ...
                return path.startsWith("/api/bots/") && segments.length > 3 ? segments[3] : null;
            };
        }
    }

    /**
     * Authenticates a request by its {@code X-User} header, the way Spring Security does on WebFlux:
     * a {@code WebFilter} at order -100 that sets the exchange's principal (reactively).
     */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Api.class)
    public static class WithUsers {
        @Bean
        org.springframework.web.server.WebFilter authenticateByHeader() {
            return new UserHeaderFilter();
        }
    }

    /** The WebFlux "security" of {@link WithUsers}. */
    static final class UserHeaderFilter implements org.springframework.web.server.WebFilter,
            org.springframework.core.Ordered {
        @Override
        public reactor.core.publisher.Mono<Void> filter(org.springframework.web.server.ServerWebExchange exchange,
                                                        org.springframework.web.server.WebFilterChain chain) {
            String user = exchange.getRequest().getHeaders().getFirst("X-User");
            if (user == null) {
                return chain.filter(exchange);
            }
            java.security.Principal principal = () -> user;
            return chain.filter(exchange.mutate().principal(reactor.core.publisher.Mono.just(principal)).build());
        }

        @Override
        public int getOrder() {
            return -100;
        }
    }

    /**
     * Authenticates a servlet request by its {@code X-User} header where Spring Security's filter chain
     * runs (order -100): the request's principal is that user.
     */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Api.class)
    public static class WithServletUsers {
        @Bean
        org.springframework.boot.web.servlet.FilterRegistrationBean<jakarta.servlet.Filter> authenticateByHeader() {
            jakarta.servlet.Filter filter = (req, res, chain) -> {
                jakarta.servlet.http.HttpServletRequest http = (jakarta.servlet.http.HttpServletRequest) req;
                String user = http.getHeader("X-User");
                chain.doFilter(user == null ? req : new jakarta.servlet.http.HttpServletRequestWrapper(http) {
                    @Override
                    public java.security.Principal getUserPrincipal() {
                        return () -> user;
                    }
                }, res);
            };
            var registration = new org.springframework.boot.web.servlet.FilterRegistrationBean<>(filter);
            registration.setOrder(-100);
            return registration;
        }
    }

    /** Spring Security's filter chain as far as the starter can tell: a filter bean of its name. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Api.class)
    public static class WithSecurityChain {
        @Bean(name = "springSecurityFilterChain")
        jakarta.servlet.Filter securityChain() {
            return (req, res, chain) -> chain.doFilter(req, res);
        }
    }

    /** Its own {@code gbInstanceFilter}: the starter's rate-limit filter must then stay registered. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Api.class)
    public static class OwnInstanceFilter {
        @Bean
        org.springframework.boot.web.servlet.FilterRegistrationBean<jakarta.servlet.Filter> gbInstanceFilter() {
            jakarta.servlet.Filter filter = (req, res, chain) -> chain.doFilter(req, res);
            return new org.springframework.boot.web.servlet.FilterRegistrationBean<>(filter);
        }
    }
}
