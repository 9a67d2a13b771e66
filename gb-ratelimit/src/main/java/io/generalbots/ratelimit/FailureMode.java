package io.generalbots.ratelimit;

/** What the Redis backend answers while Redis is slow or down ({@code rate-limit-failure-mode}). */
public enum FailureMode {
    /** Decide with an in-process limiter of the same limits (per node, so up to N× the limit on N nodes). */
    LOCAL,
    /** Allow every request (Envoy's default). */
    OPEN,
    /** Deny every request, with {@code Retry-After} the breaker's wait. */
    CLOSED
}
