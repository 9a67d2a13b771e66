package io.generalbots.spring;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import io.generalbots.autoscale.serving.BotInstance;
import io.generalbots.scaling.PathPrefixes;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * Metering, drain and the control endpoint of gb-autoscale's {@link BotInstance} on WebFlux, as the
 * servlet filter does them: a request is in flight from admission until its response completes
 * (or errs, as 500, or is cancelled, as 499); while draining, new requests get 503 with
 * {@code Retry-After}. {@code POST controlPath/drain} starts the drain for callers
 * {@link BotInstance#mayControl} accepts. Never blocks.
 */
public class GbInstanceWebFilter implements WebFilter, Ordered {

    private final BotInstance instance;
    private final PathPrefixes notMetered;
    private final String controlPath;

    /**
     * A filter over an instance.
     *
     * @param instance   the instance
     * @param notMetered paths neither metered nor refused (health, control, Actuator)
     */
    public GbInstanceWebFilter(BotInstance instance, List<String> notMetered) {
        this.instance = instance;
        this.notMetered = PathPrefixes.of(notMetered);
        this.controlPath = instance.config().controlPath();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = ReactivePaths.of(exchange.getRequest());
        if (path.equals(controlPath) || path.startsWith(controlPath + "/")) {
            return control(exchange, path);
        }
        if (notMetered.matches(path)) {
            return chain.filter(exchange);
        }
        BotInstance.Ticket ticket = instance.admit();
        ServerHttpResponse response = exchange.getResponse();
        if (ticket == null) {
            long retry = instance.retryAfterSeconds();
            response.getHeaders().set("Retry-After", Long.toString(retry));
            response.getHeaders().set("Connection", "close");
            return ReactiveJson.send(response, 503, instance.drainingJson(),
                    HttpMethod.HEAD.equals(exchange.getRequest().getMethod()));
        }
        return chain.filter(exchange).doFinally(signal -> {
            if (signal == SignalType.ON_COMPLETE) {
                HttpStatusCode status = response.getStatusCode();
                ticket.end(status == null ? 200 : status.value());
            } else if (signal == SignalType.CANCEL) {
                ticket.end(499);
            } else {
                ticket.end(500);
            }
        });
    }

    private Mono<Void> control(ServerWebExchange exchange, String path) {
        ServerHttpRequest request = exchange.getRequest();
        ServerHttpResponse response = exchange.getResponse();
        response.getHeaders().set("Cache-Control", "no-store");
        InetSocketAddress peer = request.getRemoteAddress();
        InetAddress remote = peer == null ? null : peer.getAddress();
        if (!instance.mayControl(remote, request.getHeaders()::getFirst)) {
            return ReactiveJson.send(response, 403, "{\"error\":\"forbidden\"}", false);
        }
        HttpMethod method = request.getMethod();
        if (!path.equals(controlPath + "/drain")) {
            return ReactiveJson.send(response, 404, "{\"error\":\"not found\"}", false);
        }
        if (HttpMethod.POST.equals(method)) {
            instance.drain();
            return ReactiveJson.send(response, 202, instance.stateJson(), false);
        }
        if (HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)) {
            return ReactiveJson.send(response, 200, instance.stateJson(), HttpMethod.HEAD.equals(method));
        }
        response.getHeaders().set("Allow", "GET, HEAD, POST");
        return ReactiveJson.send(response, 405, "{\"error\":\"method not allowed\"}", false);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 1;
    }
}
