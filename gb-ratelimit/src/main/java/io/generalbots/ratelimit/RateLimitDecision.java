package io.generalbots.ratelimit;

import io.generalbots.scaling.Checks;

/**
 * The outcome of one {@link RateLimiter#decide(String, String)}: whether the request may go on,
 * and, for the limit that bound it (the one that denied it, or, when allowed, the one with fewer
 * requests left — the endpoint limit on a tie), the numbers the RateLimit header fields carry.
 *
 * <p>Times are in microseconds; the {@code ...Seconds()} forms round up, as HTTP's
 * {@code Retry-After} and the draft's {@code t} must never point too early.
 */
public final class RateLimitDecision {

    private static final RateLimitDecision ALLOW_ALL = new RateLimitDecision(true, null, -1, -1, -1, -1, 0, 0, Source.DISABLED);

    /** Where a decision came from. */
    public enum Source {
        /** The in-process backend. */
        LOCAL,
        /** The Redis backend. */
        REDIS,
        /** The local fallback while Redis is failing. */
        FALLBACK_LOCAL,
        /** Fail-open while Redis is failing: allowed without counting. */
        FAIL_OPEN,
        /** Fail-closed while Redis is failing: denied without counting. */
        FAIL_CLOSED,
        /** Rate limiting is disabled. */
        DISABLED,
        /** A {@link RateLimiterProvider}'s limiter. */
        CUSTOM
    }

    private final boolean allowed;
    private final String policy;
    private final long limit;
    private final long rate;
    private final long windowMicros;
    private final long remaining;
    private final long retryAfterMicros;
    private final long nextMicros;
    private final Source source;

    RateLimitDecision(boolean allowed, String policy, long limit, long rate, long windowMicros, long remaining,
                      long retryAfterMicros, long nextMicros, Source source) {
        this.allowed = allowed;
        this.policy = policy;
        this.limit = limit;
        this.rate = rate;
        this.windowMicros = windowMicros;
        this.remaining = remaining;
        this.retryAfterMicros = retryAfterMicros;
        this.nextMicros = nextMicros;
        this.source = source;
    }

    static RateLimitDecision of(Bucket bucket, long diff, Source source) {
        return new RateLimitDecision(bucket.allows(diff), bucket.name, bucket.capacity, bucket.refill, bucket.windowMicros,
                bucket.remaining(diff), bucket.retryAfterMicros(diff), bucket.nextMicros(diff), source);
    }

    /**
     * Combines the would-be diffs of the global and the endpoint bucket of one request.
     *
     * @param global     the global bucket
     * @param globalDiff its diff
     * @param endpoint   the endpoint bucket, or null
     * @param endDiff    its diff (ignored without endpoint)
     * @param source     where the decision came from
     * @return the decision
     */
    static RateLimitDecision combine(Bucket global, long globalDiff, Bucket endpoint, long endDiff, Source source) {
        if (endpoint == null) {
            return of(global, globalDiff, source);
        }
        boolean g = global.allows(globalDiff);
        boolean e = endpoint.allows(endDiff);
        if (g && e) {
            return global.remaining(globalDiff) < endpoint.remaining(endDiff)
                    ? of(global, globalDiff, source) : of(endpoint, endDiff, source);
        }
        if (g) {
            return of(endpoint, endDiff, source);
        }
        if (e) {
            return of(global, globalDiff, source);
        }
        return global.retryAfterMicros(globalDiff) > endpoint.retryAfterMicros(endDiff)
                ? of(global, globalDiff, source) : of(endpoint, endDiff, source);
    }

    /**
     * An allowed request, as a {@link RateLimiterProvider}'s limiter decides it.
     *
     * @param policy       the binding limit: {@link RateLimitConfig#GLOBAL} or an endpoint name
     * @param limit        its bucket capacity ({@code requests + burst}, or the endpoint's {@code N}), at least 1
     * @param rate         its long-run rate, requests per window ({@code requests}, or {@code N}), at least 1
     * @param windowMicros its window in microseconds, positive
     * @param remaining    requests it still allows right now, 0..limit
     * @param nextMicros   microseconds until one more request is available from it, at least 0
     * @return the decision, from {@link Source#CUSTOM}
     * @throws IllegalArgumentException naming a value out of range
     */
    public static RateLimitDecision allowed(String policy, long limit, long rate, long windowMicros, long remaining,
                                            long nextMicros) {
        check(policy, limit, rate, windowMicros);
        Checks.requireRange("remaining", remaining, 0, limit);
        Checks.requireRange("nextMicros", nextMicros, 0, Long.MAX_VALUE);
        return new RateLimitDecision(true, policy, limit, rate, windowMicros, remaining, 0, nextMicros, Source.CUSTOM);
    }

    /**
     * A denied request, as a {@link RateLimiterProvider}'s limiter decides it.
     *
     * @param policy           the limit that denied it: {@link RateLimitConfig#GLOBAL} or an endpoint name
     * @param limit            its bucket capacity, at least 1
     * @param rate             its long-run rate, requests per window, at least 1
     * @param windowMicros     its window in microseconds, positive
     * @param retryAfterMicros microseconds until a request would be allowed, positive
     * @return the decision, from {@link Source#CUSTOM}
     * @throws IllegalArgumentException naming a value out of range
     */
    public static RateLimitDecision denied(String policy, long limit, long rate, long windowMicros,
                                           long retryAfterMicros) {
        check(policy, limit, rate, windowMicros);
        Checks.requireRange("retryAfterMicros", retryAfterMicros, 1, Long.MAX_VALUE);
        return new RateLimitDecision(false, policy, limit, rate, windowMicros, 0, retryAfterMicros, retryAfterMicros,
                Source.CUSTOM);
    }

    private static void check(String policy, long limit, long rate, long windowMicros) {
        Checks.require(policy != null && !policy.isBlank(), "policy", "a limit's name", policy);
        Checks.requireRange("limit", limit, 1, Long.MAX_VALUE);
        Checks.requireRange("rate", rate, 1, Long.MAX_VALUE);
        Checks.requireRange("windowMicros", windowMicros, 1, Long.MAX_VALUE);
    }

    /**
     * The decision of a disabled limiter: allowed, no policy, no numbers.
     *
     * @return the shared instance
     */
    public static RateLimitDecision allowAll() {
        return ALLOW_ALL;
    }

    static RateLimitDecision unlimited(boolean allowed, long retryAfterMicros, Source source) {
        return new RateLimitDecision(allowed, null, -1, -1, -1, -1, retryAfterMicros, retryAfterMicros, source);
    }

    /**
     * Whether the request may go on.
     *
     * @return true if allowed
     */
    public boolean allowed() {
        return allowed;
    }

    /**
     * The name of the binding limit: {@code global} or an endpoint name; null when no limit
     * applied (disabled, fail-open, fail-closed).
     *
     * @return the policy name or null
     */
    public String policy() {
        return policy;
    }

    /**
     * The binding limit's bucket capacity — the most requests it allows at once, and the most
     * {@link #remaining()} can be: {@code requests + burst} for the global one, {@code N} for an
     * endpoint; -1 without a policy. Within one window up to {@code limit() + rate() - 1} can be
     * admitted (the bucket refills while it is used), which is what {@code RateLimit-Policy}'s
     * {@code q} says; see {@link RateLimitHeaders}.
     *
     * @return the capacity
     */
    public long limit() {
        return limit;
    }

    /**
     * The binding limit's long-run rate: requests per {@link #windowMicros() window} the bucket
     * refills ({@code requests} for the global one, {@code N} for an endpoint); -1 without a policy.
     *
     * @return requests per window
     */
    public long rate() {
        return rate;
    }

    /**
     * The binding limit's window in microseconds; -1 without a policy.
     *
     * @return the window
     */
    public long windowMicros() {
        return windowMicros;
    }

    /**
     * Requests the binding limit still allows right now (0 when denied, -1 without a policy).
     *
     * @return the remaining requests
     */
    public long remaining() {
        return remaining;
    }

    /**
     * Microseconds until a request would be allowed; 0 when allowed.
     *
     * @return the retry-after time
     */
    public long retryAfterMicros() {
        return retryAfterMicros;
    }

    /**
     * {@link #retryAfterMicros()} in whole seconds, rounded up (the {@code Retry-After} value).
     *
     * @return seconds
     */
    public long retryAfterSeconds() {
        return Bucket.ceilDiv(retryAfterMicros, 1_000_000);
    }

    /**
     * Microseconds until one more request is available from the binding limit.
     *
     * @return the time to the next unit of quota
     */
    public long nextMicros() {
        return nextMicros;
    }

    /**
     * {@link #nextMicros()} in whole seconds, rounded up (the draft's {@code t}).
     *
     * @return seconds
     */
    public long nextSeconds() {
        return Bucket.ceilDiv(nextMicros, 1_000_000);
    }

    /**
     * Where the decision came from.
     *
     * @return the source
     */
    public Source source() {
        return source;
    }

    @Override
    public String toString() {
        return (allowed ? "allow" : "deny") + "{policy=" + policy + ", remaining=" + remaining
                + ", retryAfterMicros=" + retryAfterMicros + ", nextMicros=" + nextMicros + ", source=" + source + "}";
    }
}
