package io.generalbots.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.generalbots.ratelimit.ClientKeySource;
import io.generalbots.ratelimit.RateLimitGate;
import io.generalbots.ratelimit.RateLimitHeaders;
import io.generalbots.scaling.Checks;
import io.generalbots.scaling.PathPrefixes;

/**
 * A Jakarta Servlet filter that rate-limits requests exactly as gb-ratelimit's JDK
 * {@link io.generalbots.ratelimit.RateLimitFilter} does: it decides each request with a
 * {@link RateLimitGate}, adds the IETF {@code RateLimit-Policy} / {@code RateLimit} header fields (and
 * {@code Retry-After} on denial), and answers a denied request {@code 429} with the same
 * {@code application/problem+json} body. The client is the direct peer unless it is a trusted proxy
 * ({@code rate-limit-trusted-proxies}); a forwarding header from anyone else changes nothing.
 *
 * <pre>{@code
 * RateLimitSettings settings = RateLimitSettings.from(BotConfig.load(Path.of("config.csv")));
 * RateLimitGate gate = RateLimitGate.of(RateLimiters.of(settings), settings);
 * servletContext.addFilter("gb-ratelimit", RateLimitServletFilter.of(gate)).addMappingForUrlPatterns(null, false, "/*");
 * // rate-limit-by,bot: say how to find a request's bot (null: limited by its IP)
 * RateLimitServletFilter.custom(gate).bot(request -> request.getHeader("X-Bot-Id")).build();
 * }</pre>
 *
 * <p>For {@code rate-limit-by,user} the user is the request's principal unless
 * {@link Builder#user} says otherwise. For {@code rate-limit-by,bot} a servlet request has no bot of
 * its own: {@link Builder#bot} must say how to find it, and a gate that limits by bot without it is
 * refused (it would limit every request by its IP).
 *
 * <p>Only the first dispatch of a request ({@link DispatcherType#REQUEST}) is decided: forwards,
 * includes, error pages and async re-dispatches pass through. Paths are matched inside the
 * application, decoded ({@link ServletClientRequest#pathOf}). A Redis-backed limiter blocks the
 * request thread for at most its {@code rate-limit-redis-timeout}.
 */
public final class RateLimitServletFilter implements Filter {

    private static final String PROBLEM_JSON = "application/problem+json";

    private final RateLimitGate gate;
    private final Function<HttpServletRequest, String> user;
    private final Function<HttpServletRequest, String> bot;
    private final PathPrefixes excluded;

    private RateLimitServletFilter(Builder b) {
        this.gate = b.gate;
        this.user = b.user;
        this.bot = b.bot == null ? ServletClientRequest.NO_BOT : b.bot;
        this.excluded = PathPrefixes.of(b.excluded);
    }

    /**
     * A filter that limits every request, the user being the request's principal.
     *
     * @param gate the gate
     * @return the filter
     * @throws IllegalArgumentException when the gate limits by {@code bot}: this filter could not tell
     *         a request's bot and would limit every request by its IP; use
     *         {@code custom(gate).bot(request -> ...).build()}
     */
    public static RateLimitServletFilter of(RateLimitGate gate) {
        return custom(gate).build();
    }

    /**
     * A builder over a gate.
     *
     * @param gate the gate
     * @return the builder
     */
    public static Builder custom(RateLimitGate gate) {
        return new Builder(gate);
    }

    /**
     * The gate this filter decides with.
     *
     * @return the gate
     */
    public RateLimitGate gate() {
        return gate;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)
                || request.getDispatcherType() != DispatcherType.REQUEST) {
            chain.doFilter(req, res);
            return;
        }
        String path = ServletClientRequest.pathOf(request);
        if (excluded.matches(path)) {
            chain.doFilter(req, res);
            return;
        }
        RateLimitGate.Result result = gate.check(ServletClientRequest.of(request, user, bot), path);
        // the fields of result.headers(), in the same order, without building the map; the policy
        // value is the one computed with the limits
        String policy = result.policyHeader();
        if (policy != null) {
            response.setHeader(RateLimitHeaders.POLICY_HEADER, policy);
            response.setHeader(RateLimitHeaders.RATE_LIMIT_HEADER, result.rateLimitHeader());
        }
        if (result.allowed()) {
            chain.doFilter(req, res);
            return;
        }
        response.setHeader(RateLimitHeaders.RETRY_AFTER_HEADER, result.retryAfterHeader());
        writeProblem(response, result.status(), result.problemBody());
    }

    static void writeProblem(HttpServletResponse response, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType(PROBLEM_JSON);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** Builds a {@link RateLimitServletFilter}. */
    public static final class Builder {
        private final RateLimitGate gate;
        private Function<HttpServletRequest, String> user = ServletClientRequest.PRINCIPAL;
        private Function<HttpServletRequest, String> bot; // null until given: rate-limit-by,bot needs it
        private final List<String> excluded = new ArrayList<>();

        private Builder(RateLimitGate gate) {
            this.gate = Objects.requireNonNull(gate, "gate");
        }

        /**
         * How to find the authenticated user of a request ({@code rate-limit-by,user}); default: the
         * principal's name.
         *
         * @param user the user of a request, or null
         * @return this
         */
        public Builder user(Function<HttpServletRequest, String> user) {
            this.user = Objects.requireNonNull(user, "user");
            return this;
        }

        /**
         * How to find the bot a request talks to ({@code rate-limit-by,bot}, where it must be given);
         * a request whose bot is null is limited by its IP. Called only when the gate limits by bot.
         *
         * @param bot the bot of a request, or null
         * @return this
         */
        public Builder bot(Function<HttpServletRequest, String> bot) {
            this.bot = Objects.requireNonNull(bot, "bot");
            return this;
        }

        /**
         * Paths that are never limited: each one and everything below it (e.g. {@code /api/health},
         * {@code /actuator}).
         *
         * @param prefixes paths starting with {@code /}
         * @return this
         */
        public Builder exclude(List<String> prefixes) {
            for (String p : prefixes) {
                Checks.require(p != null && p.startsWith("/"), "excluded path", "a path starting with /", p);
                excluded.add(p);
            }
            return this;
        }

        /**
         * Builds the filter.
         *
         * @return the filter
         * @throws IllegalArgumentException when the gate limits by {@code bot} and no {@link #bot}
         *         function was given (every request would be limited by its IP)
         */
        public RateLimitServletFilter build() {
            if (bot == null && gate.resolver().by().kind() == ClientKeySource.Kind.BOT) {
                throw new IllegalArgumentException("rate-limit-by,bot needs each request's bot, but"
                        + " RateLimitServletFilter cannot tell it and would limit every request by its IP: pass how"
                        + " to find it, RateLimitServletFilter.custom(gate).bot(request -> BOT_OR_NULL).build() (a"
                        + " request without one is limited by its IP)");
            }
            return new RateLimitServletFilter(this);
        }
    }
}
