package io.generalbots.failover.breaker;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/** Told of every state change of the breakers of a {@link BreakerRegistry}. */
@FunctionalInterface
public interface BreakerListener {

    /**
     * A breaker changed state. Called on the thread of the call that noticed it; keep it short.
     *
     * @param breaker the breaker
     * @param from    the state before
     * @param to      the state now
     */
    void onStateChange(Breaker breaker, CircuitBreaker.State from, CircuitBreaker.State to);
}
