package io.generalbots.failover.breaker;

import java.util.Locale;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * The state of a {@link Breaker}: gb-failover's own names for Resilience4j's states, so that code
 * reading a breaker's state does not depend on Resilience4j. A breaker of the registry is only
 * ever {@link #CLOSED}, {@link #OPEN}, {@link #HALF_OPEN} or {@link #DISABLED};
 * {@link #FORCED_OPEN} and {@link #METRICS_ONLY} appear only when set on
 * {@link Breaker#circuitBreaker()} directly.
 */
public enum BreakerState {
    /** Calls go through and their outcomes are recorded. */
    CLOSED,
    /** Calls are rejected ({@link BreakerOpenException}) until the wait in open is over. */
    OPEN,
    /** The trial calls go through; one success closes the breaker, their failure opens it again. */
    HALF_OPEN,
    /** {@code circuit-breaker-enabled,false}: every call goes through, nothing is recorded. */
    DISABLED,
    /** Opened by hand on the underlying breaker; stays open until changed there. */
    FORCED_OPEN,
    /** Set by hand on the underlying breaker: calls go through and are recorded, it never opens. */
    METRICS_ONLY;

    /**
     * The state as logs, meters and health details write it: {@code closed}, {@code open},
     * {@code half-open}, {@code disabled}, {@code forced-open}, {@code metrics-only}.
     *
     * @return the word
     */
    public String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Whether calls are rejected in this state without a trial ({@link #OPEN}, {@link #FORCED_OPEN}).
     *
     * @return true while open
     */
    public boolean isOpen() {
        return this == OPEN || this == FORCED_OPEN;
    }

    static BreakerState of(CircuitBreaker.State state) {
        return switch (state) {
            case CLOSED -> CLOSED;
            case OPEN -> OPEN;
            case HALF_OPEN -> HALF_OPEN;
            case DISABLED -> DISABLED;
            case FORCED_OPEN -> FORCED_OPEN;
            case METRICS_ONLY -> METRICS_ONLY;
        };
    }
}
