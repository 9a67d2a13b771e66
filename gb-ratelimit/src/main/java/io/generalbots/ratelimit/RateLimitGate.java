package io.generalbots.ratelimit;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * The framework-neutral HTTP entry point: resolves the client key, finds the endpoint of the
 * path, decides, and gives back what to answer (status, headers, problem body).
 *
 * <pre>{@code
 * RateLimitGate gate = RateLimitGate.of(limiter, ClientKeyResolver.of(settings));
 * RateLimitGate.Result r = gate.check(request, path);
 * r.headers().forEach(response::setHeader);
 * if (!r.allowed()) { response.status(429).contentType("application/problem+json").body(r.problemBody()); }
 * }</pre>
 */
public final class RateLimitGate {

    private final RateLimiter limiter;
    private final ClientKeyResolver resolver;

    private RateLimitGate(RateLimiter limiter, ClientKeyResolver resolver) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /**
     * A gate over a limiter and a key resolver.
     *
     * @param limiter  the limiter
     * @param resolver the client key resolver
     * @return the gate
     */
    public static RateLimitGate of(RateLimiter limiter, ClientKeyResolver resolver) {
        return new RateLimitGate(limiter, resolver);
    }

    /**
     * Decides a request.
     *
     * @param request the request
     * @param path    its path (without query)
     * @return what to answer
     */
    public Result check(ClientRequest request, String path) {
        String endpoint = limiter.endpointOf(path);
        return new Result(limiter.config(), endpoint, limiter.decide(resolver.resolve(request), endpoint));
    }

    /**
     * Decides a request without blocking.
     *
     * @param request the request
     * @param path    its path
     * @return what to answer
     */
    public CompletionStage<Result> checkAsync(ClientRequest request, String path) {
        String endpoint = limiter.endpointOf(path);
        return limiter.decideAsync(resolver.resolve(request), endpoint)
                .thenApply(d -> new Result(limiter.config(), endpoint, d));
    }

    /**
     * The limiter.
     *
     * @return the limiter
     */
    public RateLimiter limiter() {
        return limiter;
    }

    /** What to answer a request. */
    public static final class Result {
        private final RateLimitConfig config;
        private final String endpoint;
        private final RateLimitDecision decision;

        Result(RateLimitConfig config, String endpoint, RateLimitDecision decision) {
            this.config = config;
            this.endpoint = endpoint;
            this.decision = decision;
        }

        /**
         * Whether the request may go on.
         *
         * @return true if allowed
         */
        public boolean allowed() {
            return decision.allowed();
        }

        /**
         * The decision.
         *
         * @return the decision
         */
        public RateLimitDecision decision() {
            return decision;
        }

        /**
         * The HTTP status of a denial: 429.
         *
         * @return 429 if denied, else 0 (go on)
         */
        public int status() {
            return decision.allowed() ? 0 : 429;
        }

        /**
         * The header fields to add to the response (allowed or not).
         *
         * @return name to value
         */
        public Map<String, String> headers() {
            return RateLimitHeaders.of(config, endpoint, decision);
        }

        /**
         * The {@code application/problem+json} body of a denial.
         *
         * @return JSON text
         */
        public String problemBody() {
            return RateLimitHeaders.problem(decision);
        }
    }
}
