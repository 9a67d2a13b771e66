package io.generalbots.failover.breaker;

import java.util.Locale;
import java.util.Objects;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer meters of a {@link BreakerRegistry}; the only class of gb-failover's breakers that
 * touches Micrometer, so breakers work without it on the classpath.
 *
 * <ul>
 *   <li>{@code gb.circuit.breaker.state{name,state}}: 1 for the breaker's current state, 0 for the others</li>
 *   <li>{@code gb.circuit.breaker.transitions{name,from,to}}: count of state changes</li>
 *   <li>{@code gb.circuit.breaker.buffered.calls{name,kind=successful|failed}}: calls in the current window</li>
 *   <li>{@code gb.circuit.breaker.not.permitted.calls{name}}: calls rejected in the current state</li>
 * </ul>
 * The gauges read the breakers' own counters, so meters add nothing to a call.
 *
 * <pre>{@code new BreakerMetrics(breakers).bindTo(meterRegistry);}</pre>
 */
public final class BreakerMetrics implements MeterBinder {

    private final BreakerRegistry breakers;

    /**
     * Meters for a registry's breakers.
     *
     * @param breakers the registry
     */
    public BreakerMetrics(BreakerRegistry breakers) {
        this.breakers = Objects.requireNonNull(breakers, "breakers");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        breakers.onBreakerAdded(b -> register(registry, b));
        breakers.onStateChange((b, from, to) -> Counter.builder("gb.circuit.breaker.transitions")
                .description("State changes of a circuit breaker").tag("name", b.name())
                .tag("from", word(from)).tag("to", word(to)).register(registry).increment());
    }

    private static void register(MeterRegistry registry, Breaker b) {
        for (CircuitBreaker.State s : CircuitBreaker.State.values()) {
            Gauge.builder("gb.circuit.breaker.state", b, x -> x.circuitBreaker().getState() == s ? 1 : 0)
                    .description("1 for the circuit breaker's current state").tag("name", b.name())
                    .tag("state", word(s)).register(registry);
        }
        Gauge.builder("gb.circuit.breaker.buffered.calls", b,
                        x -> x.circuitBreaker().getMetrics().getNumberOfSuccessfulCalls())
                .tag("name", b.name()).tag("kind", "successful").register(registry);
        Gauge.builder("gb.circuit.breaker.buffered.calls", b,
                        x -> x.circuitBreaker().getMetrics().getNumberOfFailedCalls())
                .tag("name", b.name()).tag("kind", "failed").register(registry);
        Gauge.builder("gb.circuit.breaker.not.permitted.calls", b,
                        x -> x.circuitBreaker().getMetrics().getNumberOfNotPermittedCalls())
                .tag("name", b.name()).register(registry);
    }

    private static String word(CircuitBreaker.State s) {
        return s.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
