package io.generalbots.spring;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.List;
import java.util.Optional;
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

import io.generalbots.ratelimit.ClientKeySource;
import io.generalbots.ratelimit.ClientRequest;
import io.generalbots.ratelimit.RateLimitGate;
import io.generalbots.ratelimit.RateLimitHeaders;
import io.generalbots.scaling.PathPrefixes;
import reactor.core.publisher.Mono;

/**
 * The WebFlux face of the rate-limit filter: the same decisions, header fields and 429 problem
 * details as the servlet and JDK filters, without ever blocking the event loop. It asks the limiter
 * for its asynchronous decision ({@link RateLimitGate#checkAsync}); a local limiter answers at once
 * and the chain goes on in the same call, a Redis one answers when its reply (or its time budget)
 * arrives. The client is the direct peer unless it is a trusted proxy.
 *
 * <p>{@code rate-limit-by} {@code ip} and {@code header:NAME} work as on the servlet side. For
 * {@code rate-limit-by,user} the user is, as on the servlet side, the name of the request's
 * authenticated principal: {@link ServerWebExchange#getPrincipal()}, subscribed to, never blocked on
 * (with Spring Security, its authentication, since this filter runs after Security's
 * {@code WebFilterChainProxy}: order -100, this one -90 by default). A request without one (anonymous,
 * or no Spring Security) is limited by its IP, as anonymous requests are everywhere. Only with
 * {@code user} is the principal asked for; the other sources decide without it.
 *
 * <p>A reactive request has no bot of its own: for {@code rate-limit-by,bot} a {@link GbBotResolver}
 * says which bot each request talks to (null: limited by its IP), and a gate that limits by bot
 * without one is refused rather than limiting every request by its IP.
 */
public class GbRateLimitWebFilter implements WebFilter, Ordered {

    private static final MediaType PROBLEM_JSON = MediaType.parseMediaType("application/problem+json");
    private static final InetAddress UNKNOWN_PEER = InetAddress.getLoopbackAddress();

    private final RateLimitGate gate;
    private final PathPrefixes excluded;
    private final int order;
    private final boolean byUser;
    private final GbBotResolver bots;

    /**
     * A filter over a gate that does not limit by bot.
     *
     * @param gate     the gate
     * @param excluded paths never limited (each with everything below it)
     * @param order    the filter's order
     * @throws IllegalArgumentException when the gate limits by {@code bot}: use
     *         {@link #GbRateLimitWebFilter(RateLimitGate, List, int, GbBotResolver)}
     */
    public GbRateLimitWebFilter(RateLimitGate gate, List<String> excluded, int order) {
        this(gate, excluded, order, null);
    }

    /**
     * A filter over a gate, with the way to find a request's bot.
     *
     * @param gate     the gate
     * @param excluded paths never limited (each with everything below it)
     * @param order    the filter's order
     * @param bots     the bot of each request, called only when the gate limits by {@code bot}; may be
     *                 null when it does not
     * @throws IllegalArgumentException when the gate limits by {@code bot} and {@code bots} is null
     *         (every request would be limited by its IP)
     */
    public GbRateLimitWebFilter(RateLimitGate gate, List<String> excluded, int order, GbBotResolver bots) {
        this.gate = gate;
        this.excluded = PathPrefixes.of(excluded);
        this.order = order;
        ClientKeySource.Kind by = gate.resolver().by().kind();
        this.byUser = by == ClientKeySource.Kind.USER;
        if (bots == null && by == ClientKeySource.Kind.BOT) {
            throw new IllegalArgumentException("rate-limit-by,bot needs each request's bot, but GbRateLimitWebFilter"
                    + " cannot tell it and would limit every request by its IP: pass how to find it,"
                    + " new GbRateLimitWebFilter(gate, excluded, order, (request, path) -> BOT_OR_NULL) (a request"
                    + " without one is limited by its IP)");
        }
        this.bots = bots;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String path = ReactivePaths.of(request);
        if (excluded.matches(path)) {
            return chain.filter(exchange);
        }
        if (byUser) { // the principal is reactive: decide once it is known (empty: anonymous, the IP key)
            return exchange.getPrincipal().mapNotNull(Principal::getName).map(Optional::of)
                    .defaultIfEmpty(Optional.empty())
                    .flatMap(user -> decide(exchange, chain, request, path, user.orElse(null)));
        }
        return decide(exchange, chain, request, path, null);
    }

    private Mono<Void> decide(ServerWebExchange exchange, WebFilterChain chain, ServerHttpRequest request, String path,
                              String user) {
        CompletableFuture<RateLimitGate.Result> decision = gate.checkAsync(new Client(request, user, path, bots), path)
                .toCompletableFuture();
        if (decision.isDone() && !decision.isCompletedExceptionally()) {
            return apply(decision.join(), exchange, chain); // local limiter: no hop, no allocation of a Mono chain
        }
        return Mono.fromFuture(decision).flatMap(r -> apply(r, exchange, chain));
    }

    private static Mono<Void> apply(RateLimitGate.Result result, ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpResponse response = exchange.getResponse();
        String policy = result.policyHeader(); // the fields of result.headers(), in order, without the map
        if (policy != null) {
            response.getHeaders().set(RateLimitHeaders.POLICY_HEADER, policy);
            response.getHeaders().set(RateLimitHeaders.RATE_LIMIT_HEADER, result.rateLimitHeader());
        }
        if (result.allowed()) {
            return chain.filter(exchange);
        }
        response.getHeaders().set(RateLimitHeaders.RETRY_AFTER_HEADER, result.retryAfterHeader());
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
        private final String user;
        private final String path;
        private final GbBotResolver bots;

        Client(ServerHttpRequest request, String user, String path, GbBotResolver bots) {
            this.request = request;
            this.user = user;
            this.path = path;
            this.bots = bots;
        }

        @Override
        public String user() {
            return user;
        }

        @Override
        public String bot() { // asked only by bot: the resolver sees the request without user or bot
            return bots == null ? null : bots.bot(new Client(request, null, path, null), path);
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
}
