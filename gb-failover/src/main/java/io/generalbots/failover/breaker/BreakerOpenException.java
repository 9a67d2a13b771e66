package io.generalbots.failover.breaker;

import java.time.Duration;
import java.util.Objects;

import io.generalbots.scaling.GbScalingException;

/**
 * A call a {@link Breaker} did not let through: the breaker is open (its dependency failed
 * {@code circuit-breaker-threshold} times in a row), or half-open with all its trial calls under
 * way. The call was not made. Resilience4j's {@code CallNotPermittedException} is the cause.
 *
 * <p>Like Resilience4j's, it has no stack trace: a rejection is the breaker doing its job on a hot
 * path, and its message says all there is.
 */
public final class BreakerOpenException extends GbScalingException {

    private static final long serialVersionUID = 1L;

    private final String breaker;
    private final BreakerState state;
    private final Duration waitLeft;

    /**
     * Creates the exception; the message is built from the fields, e.g.
     * {@code circuit breaker 'llm' is open: calls are rejected for another 12500 ms}.
     *
     * @param breaker  the breaker's name
     * @param state    its state: {@link BreakerState#OPEN}, {@link BreakerState#HALF_OPEN} or
     *                 {@link BreakerState#FORCED_OPEN}
     * @param waitLeft time until a trial call may go through (zero when half-open or forced open)
     * @param cause    the rejection of the underlying breaker, or null
     */
    public BreakerOpenException(String breaker, BreakerState state, Duration waitLeft, Throwable cause) {
        super(message(breaker, state, waitLeft), cause, false);
        this.breaker = breaker;
        this.state = state;
        this.waitLeft = waitLeft;
    }

    private static String message(String breaker, BreakerState state, Duration waitLeft) {
        Objects.requireNonNull(breaker, "breaker");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(waitLeft, "waitLeft");
        String prefix = "circuit breaker '" + breaker + "' is " + state.word();
        return switch (state) {
            case OPEN -> prefix + ": calls are rejected for another " + waitLeft.toMillis() + " ms";
            case HALF_OPEN -> prefix + ": its trial calls are under way, other calls are rejected";
            default -> prefix + ": calls are rejected until it is closed by hand";
        };
    }

    /**
     * The breaker that rejected the call.
     *
     * @return its name
     */
    public String breaker() {
        return breaker;
    }

    /**
     * The breaker's state when it rejected the call.
     *
     * @return {@link BreakerState#OPEN}, {@link BreakerState#HALF_OPEN} or {@link BreakerState#FORCED_OPEN}
     */
    public BreakerState state() {
        return state;
    }

    /**
     * How long until the breaker lets a trial call through: what is left of
     * {@code circuit-breaker-timeout} when open; zero when half-open (a trial permit may come
     * back at any time) or forced open (it has no wait of its own).
     *
     * @return the wait left, never negative
     */
    public Duration waitLeft() {
        return waitLeft;
    }
}
