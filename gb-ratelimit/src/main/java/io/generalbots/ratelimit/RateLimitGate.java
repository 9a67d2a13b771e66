package io.generalbots.ratelimit;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The framework-neutral HTTP entry point: resolves the client key, finds the endpoint of the
 * path, decides, and gives back what to answer (status, headers, problem body).
 *
 * <p>Health and readiness endpoints are never limited: a request whose path is exactly one of
 * {@link #HEALTH_PATHS} (or, from settings, {@code health-endpoint} and its {@code /ready} and
 * {@code /live}) is let through without a decision, without counting and without RateLimit
 * header fields. Otherwise a busy client — or, behind a proxy without trusted proxies
 * configured, all clients together — could make the proxy's own health checks answer 429, and
 * the proxy would take every instance out.
 *
 * <pre>{@code
 * RateLimitGate gate = RateLimitGate.of(limiter, settings);
 * RateLimitGate.Result r = gate.check(request, path);
 * r.headers().forEach(response::setHeader);
 * if (!r.allowed()) { response.status(429).contentType("application/problem+json").body(r.problemBody()); }
 * }</pre>
 */
public final class RateLimitGate {

    /**
     * Paths that are never limited, whatever the settings: the seed's health report
     * {@code /api/health} with its {@code /ready} and {@code /live}, and the usual top-level
     * {@code /ready} and {@code /live} probes. Compared exactly with the request's path.
     */
    public static final Set<String> HEALTH_PATHS = Set.of("/api/health", "/api/health/ready", "/api/health/live",
            "/ready", "/live");

    private final RateLimiter limiter;
    private final ClientKeyResolver resolver;
    private final Set<String> exempt;

    private RateLimitGate(RateLimiter limiter, ClientKeyResolver resolver, Collection<String> exemptPaths) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        Set<String> all = new LinkedHashSet<>(HEALTH_PATHS);
        all.addAll(Objects.requireNonNull(exemptPaths, "exemptPaths"));
        this.exempt = Set.copyOf(all);
    }

    /**
     * A gate over a limiter and a key resolver; {@link #HEALTH_PATHS} are never limited.
     *
     * @param limiter  the limiter
     * @param resolver the client key resolver
     * @return the gate
     */
    public static RateLimitGate of(RateLimiter limiter, ClientKeyResolver resolver) {
        return new RateLimitGate(limiter, resolver, Set.of());
    }

    /**
     * A gate over a limiter and a key resolver that never limits {@link #HEALTH_PATHS} nor the
     * given paths.
     *
     * @param limiter     the limiter
     * @param resolver    the client key resolver
     * @param exemptPaths further paths never limited, compared exactly with the request's path
     * @return the gate
     */
    public static RateLimitGate of(RateLimiter limiter, ClientKeyResolver resolver, Collection<String> exemptPaths) {
        return new RateLimitGate(limiter, resolver, exemptPaths);
    }

    /**
     * The gate of a bot's settings: the client keys of {@link ClientKeyResolver#of(RateLimitSettings)},
     * and {@link RateLimitSettings#exemptPaths()} (the health paths, {@code health-endpoint}
     * included) never limited.
     *
     * @param limiter  the limiter, e.g. from
     *                 {@link RateLimiters#of(RateLimitSettings, String, io.generalbots.scaling.Ticker)}
     * @param settings the settings
     * @return the gate
     */
    public static RateLimitGate of(RateLimiter limiter, RateLimitSettings settings) {
        return new RateLimitGate(limiter, ClientKeyResolver.of(settings), settings.exemptPaths());
    }

    /**
     * {@link #HEALTH_PATHS} and a health endpoint with its {@code /ready} and {@code /live}
     * (what gb-failover's {@code HealthHttpHandler} serves).
     *
     * @param healthEndpoint the {@code health-endpoint} path, e.g. {@code /healthz}
     * @return the paths never limited
     */
    public static Set<String> healthPaths(String healthEndpoint) {
        Objects.requireNonNull(healthEndpoint, "healthEndpoint");
        String base = healthEndpoint.length() > 1 && healthEndpoint.endsWith("/")
                ? healthEndpoint.substring(0, healthEndpoint.length() - 1) : healthEndpoint;
        Set<String> out = new LinkedHashSet<>(HEALTH_PATHS);
        out.add(base);
        out.add(base + "/ready");
        out.add(base + "/live");
        return Set.copyOf(out);
    }

    /**
     * Whether a path is never limited by this gate.
     *
     * @param path a request path (without query)
     * @return true for a health or readiness path
     */
    public boolean isExempt(String path) {
        return path != null && exempt.contains(path);
    }

    /**
     * The paths this gate never limits.
     *
     * @return the exempt paths
     */
    public Set<String> exemptPaths() {
        return exempt;
    }

    /**
     * Decides a request.
     *
     * @param request the request
     * @param path    its path (without query)
     * @return what to answer
     */
    public Result check(ClientRequest request, String path) {
        if (isExempt(path)) {
            return Result.EXEMPT;
        }
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
        if (isExempt(path)) {
            return CompletableFuture.completedFuture(Result.EXEMPT);
        }
        String endpoint = limiter.endpointOf(path);
        CompletionStage<RateLimitDecision> decision = limiter.decideAsync(resolver.resolve(request), endpoint);
        if (decision.getClass() == CompletableFuture.class) { // not a subclass, which may refuse isDone/join
            CompletableFuture<RateLimitDecision> future = (CompletableFuture<RateLimitDecision>) decision;
            if (future.isDone() && !future.isCompletedExceptionally()) {
                // a local limiter has answered already: no dependent stage, no lambda
                return CompletableFuture.completedFuture(new Result(limiter.config(), endpoint, future.join()));
            }
        }
        return decision.thenApply(d -> new Result(limiter.config(), endpoint, d));
    }

    /**
     * The limiter.
     *
     * @return the limiter
     */
    public RateLimiter limiter() {
        return limiter;
    }

    /**
     * The client key resolver.
     *
     * @return the resolver
     */
    public ClientKeyResolver resolver() {
        return resolver;
    }

    /** What to answer a request. */
    public static final class Result {
        /** The answer for an exempt path: go on, no header fields, nothing counted. */
        static final Result EXEMPT = new Result(null, null, RateLimitDecision.allowAll());

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
         * The decision; for an exempt path none was made, and this is
         * {@link RateLimitDecision#allowAll()}.
         *
         * @return the decision
         */
        public RateLimitDecision decision() {
            return decision;
        }

        /**
         * Whether the path is exempt (a health or readiness endpoint): allowed without a decision.
         *
         * @return true if exempt
         */
        public boolean exempt() {
            return this == EXEMPT;
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
         * The {@value RateLimitHeaders#POLICY_HEADER} field of {@link #headers()}, without building
         * the map: the value computed once with the limits, so nothing is allocated.
         *
         * @return the field value, or null when {@link #headers()} has no such field (exempt,
         *         disabled, fail-open/closed)
         */
        public String policyHeader() {
            return config != null && decision.policy() != null ? config.policyHeader(endpoint) : null;
        }

        /**
         * The {@value RateLimitHeaders#RATE_LIMIT_HEADER} field of {@link #headers()}, without
         * building the map.
         *
         * @return the field value, or null exactly when {@link #policyHeader()} is null
         */
        public String rateLimitHeader() {
            return config != null && decision.policy() != null ? RateLimitHeaders.rateLimit(decision) : null;
        }

        /**
         * The {@value RateLimitHeaders#RETRY_AFTER_HEADER} field of {@link #headers()}, without
         * building the map.
         *
         * @return the field value, or null when the request is allowed
         */
        public String retryAfterHeader() {
            return RateLimitHeaders.retryAfter(decision);
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
