package io.generalbots.ratelimit;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;

/**
 * A filter for the JDK {@link com.sun.net.httpserver.HttpServer}: decides each request, adds the
 * RateLimit header fields, and answers 429 with a problem-details body when denied.
 *
 * <pre>{@code
 * HttpContext api = server.createContext("/api/", handler);
 * api.getFilters().add(RateLimitFilter.of(RateLimitGate.of(limiter, settings)));            // by ip or header
 * api.getFilters().add(RateLimitFilter.of(RateLimitGate.of(limiter, settings),             // by user or bot
 *         exchange -> exchange.getRequestHeaders().getFirst("X-User"), exchange -> null));
 * }</pre>
 */
public final class RateLimitFilter extends Filter {

    private static final Function<HttpExchange, String> NOBODY = exchange -> null;

    private final RateLimitGate gate;
    private final Function<HttpExchange, String> user;
    private final Function<HttpExchange, String> bot;

    private RateLimitFilter(RateLimitGate gate, Function<HttpExchange, String> user, Function<HttpExchange, String> bot) {
        this.gate = Objects.requireNonNull(gate, "gate");
        this.user = Objects.requireNonNull(user, "user");
        this.bot = Objects.requireNonNull(bot, "bot");
    }

    /**
     * A filter without user or bot identity, for {@code rate-limit-by} {@code ip} or
     * {@code header:NAME}.
     *
     * @param gate the gate
     * @return the filter
     * @throws IllegalArgumentException when the gate limits by {@code user} or {@code bot}: this
     *         filter could not tell who the user or bot is, and would limit every request by its
     *         IP; use {@link #of(RateLimitGate, Function, Function)}
     */
    public static RateLimitFilter of(RateLimitGate gate) {
        ClientKeySource by = Objects.requireNonNull(gate, "gate").resolver().by();
        if (by.kind() == ClientKeySource.Kind.USER || by.kind() == ClientKeySource.Kind.BOT) {
            String who = by.toString();
            throw new IllegalArgumentException("rate-limit-by is " + who + ", but RateLimitFilter.of(gate) cannot tell"
                    + " a request's " + who + " and would limit every request by its IP: pass how to find it,"
                    + " RateLimitFilter.of(gate, exchange -> USER_OR_NULL, exchange -> BOT_OR_NULL) (a request"
                    + " without one is limited by its IP)");
        }
        return new RateLimitFilter(gate, NOBODY, NOBODY);
    }

    /**
     * A filter that finds the user and the bot of an exchange (for {@code rate-limit-by} user or bot).
     *
     * @param gate the gate
     * @param user the authenticated user of an exchange, or null
     * @param bot  the bot of an exchange, or null
     * @return the filter
     */
    public static RateLimitFilter of(RateLimitGate gate, Function<HttpExchange, String> user,
                                     Function<HttpExchange, String> bot) {
        return new RateLimitFilter(gate, user, bot);
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        RateLimitGate.Result result = gate.check(request(exchange), exchange.getRequestURI().getPath());
        String policy = result.policyHeader(); // the fields of result.headers(), in order, without the map
        if (policy != null) {
            exchange.getResponseHeaders().set(RateLimitHeaders.POLICY_HEADER, policy);
            exchange.getResponseHeaders().set(RateLimitHeaders.RATE_LIMIT_HEADER, result.rateLimitHeader());
        }
        if (result.allowed()) {
            chain.doFilter(exchange);
            return;
        }
        exchange.getResponseHeaders().set(RateLimitHeaders.RETRY_AFTER_HEADER, result.retryAfterHeader());
        byte[] body = result.problemBody().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
        exchange.sendResponseHeaders(429, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private ClientRequest request(HttpExchange exchange) {
        return new ClientRequest() {
            @Override
            public InetAddress remoteAddress() {
                return exchange.getRemoteAddress().getAddress();
            }

            @Override
            public List<String> headers(String name) {
                List<String> values = exchange.getRequestHeaders().get(name);
                return values == null ? List.of() : values;
            }

            @Override
            public String user() {
                return user.apply(exchange);
            }

            @Override
            public String bot() {
                return bot.apply(exchange);
            }
        };
    }

    @Override
    public String description() {
        return "gb-ratelimit: RateLimit headers and 429 problem details";
    }
}
