package io.generalbots.spring;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import io.generalbots.ratelimit.ClientRequest;
import io.generalbots.ratelimit.RateLimitGate;
import reactor.core.publisher.Mono;

/**
 * The WebFlux face of the rate-limit filter: the same decisions, header fields and 429 problem
 * details as the servlet and JDK filters, without ever blocking the event loop. It asks the limiter
 * for its asynchronous decision ({@link RateLimitGate#checkAsync}); a local limiter answers at once
 * and the chain goes on in the same call, a Redis one answers when its reply (or its time budget)
 * arrives. The client is the direct peer unless it is a trusted proxy.
 *
 * <p>{@code rate-limit-by} {@code ip} and {@code header:NAME} work as on the servlet side; the
 * principal of {@code user} is reactive in WebFlux and not read here, so such requests fall back to
 * the IP key (as anonymous requests do).
 */
public class GbRateLimitWebFilter implements WebFilter, Ordered {

    private static final MediaType PROBLEM_JSON = MediaType.parseMediaType("application/problem+json");
    private static final InetAddress UNKNOWN_PEER = InetAddress.getLoopbackAddress();

    private final RateLimitGate gate;
    private final PathMatcher excluded;
    private final int order;

    /**
     * A filter over a gate.
     *
     * @param gate     the gate
     * @param excluded paths never limited (each with everything below it)
     * @param order    the filter's order
     */
    public GbRateLimitWebFilter(RateLimitGate gate, List<String> excluded, int order) {
        this.gate = gate;
        this.excluded = new PathMatcher(excluded);
        this.order = order;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String path = ReactivePaths.of(request);
        if (excluded.matches(path)) {
            return chain.filter(exchange);
        }
        CompletableFuture<RateLimitGate.Result> decision = gate.checkAsync(new Client(request), path)
                .toCompletableFuture();
        if (decision.isDone() && !decision.isCompletedExceptionally()) {
            return apply(decision.join(), exchange, chain); // local limiter: no hop, no allocation of a Mono chain
        }
        return Mono.fromFuture(decision).flatMap(r -> apply(r, exchange, chain));
    }

    private static Mono<Void> apply(RateLimitGate.Result result, ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpResponse response = exchange.getResponse();
        for (Map.Entry<String, String> h : result.headers().entrySet()) {
            response.getHeaders().set(h.getKey(), h.getValue());
        }
        if (result.allowed()) {
            return chain.filter(exchange);
        }
        byte[] body = result.problemBody().getBytes(StandardCharsets.UTF_8);
        response.setStatusCode(HttpStatus.valueOf(result.status()));
        response.getHeaders().setContentType(PROBLEM_JSON);
        response.getHeaders().setContentLength(body.length);
        DataBuffer buffer = response.bufferFactory().wrap(body);
        return response.writeWith(Mono.just(buffer));
    }

    @Override
    public int getOrder() {
        return order;
    }

    /** A reactive request as gb-ratelimit's client request. */
    private static final class Client implements ClientRequest {
        private final ServerHttpRequest request;

        Client(ServerHttpRequest request) {
            this.request = request;
        }

        @Override
        public InetAddress remoteAddress() {
            InetSocketAddress peer = request.getRemoteAddress();
            return peer == null || peer.getAddress() == null ? UNKNOWN_PEER : peer.getAddress();
        }

        @Override
        public List<String> headers(String name) {
            List<String> values = request.getHeaders().get(name);
            return values == null ? List.of() : values;
        }
    }

    /** Paths and everything below them. */
    static final class PathMatcher {
        private final String[] prefixes;

        PathMatcher(List<String> prefixes) {
            this.prefixes = prefixes.stream()
                    .map(p -> p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p)
                    .toArray(String[]::new);
        }

        boolean matches(String path) {
            for (String p : prefixes) {
                if (p.equals("/") || path.equals(p) || (path.startsWith(p) && path.charAt(p.length()) == '/')) {
                    return true;
                }
            }
            return false;
        }
    }
}
