package io.generalbots.failover.breaker;

import java.util.Objects;

/**
 * What happened to the breakers of a {@link BreakerRegistry}, for its listeners
 * ({@link BreakerRegistry#addListener}). Every event names the breaker; the records are the cases
 * (Java 17: tell them apart with {@code instanceof}).
 */
public sealed interface BreakerEvent {

    /**
     * The breaker's name (its dependency's).
     *
     * @return the name
     */
    String breaker();

    /**
     * A breaker was created (on its first use): meters and dashboards start following it.
     *
     * @param breaker the breaker's name
     */
    record BreakerCreated(String breaker) implements BreakerEvent {
        /**
         * Creates the event.
         *
         * @param breaker the breaker's name
         */
        public BreakerCreated {
            Objects.requireNonNull(breaker, "breaker");
        }
    }

    /**
     * A breaker changed state, noticed on the call that caused it (or at the next call or
     * {@link Breaker#state()} when the change was made on {@link Breaker#circuitBreaker()}).
     * Published once per change.
     *
     * @param breaker the breaker's name
     * @param from    the state before
     * @param to      the state now
     */
    record StateChanged(String breaker, BreakerState from, BreakerState to) implements BreakerEvent {
        /**
         * Creates the event.
         *
         * @param breaker the breaker's name
         * @param from    the state before
         * @param to      the state now
         */
        public StateChanged {
            Objects.requireNonNull(breaker, "breaker");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }
    }
}
