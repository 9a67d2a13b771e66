package io.generalbots.spring;

import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import io.generalbots.failover.health.HealthAggregator;
import io.generalbots.scaling.health.HealthReport;
import reactor.core.publisher.Mono;

/**
 * Serves the seed's health endpoints on WebFlux exactly as the servlet and the JDK handler do:
 * {@code ENDPOINT} and {@code ENDPOINT/ready} the report (200 healthy or degraded, 503 unhealthy),
 * {@code ENDPOINT/live} 200 while the process serves; GET and HEAD only; {@code no-store}. The report
 * is the aggregator's latest, so answering never waits on a check.
 */
public class GbHealthWebFilter implements WebFilter, Ordered {

    private final String endpoint;
    private final HealthAggregator aggregator;
    private final boolean enabled;

    /**
     * A filter for the endpoint.
     *
     * @param endpoint   the path, e.g. {@code /api/health}
     * @param aggregator the aggregator
     * @param enabled    false: every request passes through ({@code health-enabled,false})
     */
    public GbHealthWebFilter(String endpoint, HealthAggregator aggregator, boolean enabled) {
        this.endpoint = endpoint.length() > 1 && endpoint.endsWith("/")
                ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        this.aggregator = aggregator;
        this.enabled = enabled;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!enabled) {
            return chain.filter(exchange);
        }
        String path = ReactivePaths.of(exchange.getRequest());
        boolean report = path.equals(endpoint) || path.equals(endpoint + "/ready");
        boolean live = path.equals(endpoint + "/live");
        boolean below = path.startsWith(endpoint + "/");
        if (!report && !live && !below) {
            return chain.filter(exchange);
        }
        ServerHttpResponse response = exchange.getResponse();
        HttpMethod method = exchange.getRequest().getMethod();
        boolean head = HttpMethod.HEAD.equals(method);
        response.getHeaders().set("Cache-Control", "no-store");
        if (!head && !HttpMethod.GET.equals(method)) {
            response.getHeaders().set("Allow", "GET, HEAD");
            return ReactiveJson.send(response, 405, "{\"error\":\"method not allowed\"}", false);
        }
        if (report) {
            HealthReport r = aggregator.report();
            return ReactiveJson.send(response, r.status().httpStatus(), r.toJson(), head);
        }
        if (live) {
            return ReactiveJson.send(response, 200, aggregator.report().toLiveJson(), head);
        }
        return ReactiveJson.send(response, 404, "{\"error\":\"not found\"}", head);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 100;
    }
}
