package io.generalbots.failover.breaker;

import java.util.Objects;

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
        // listen first, then register the existing breakers: one created in between is registered
        // twice, which Micrometer answers with the meters it already has
        breakers.addListener(event -> {
            if (event instanceof BreakerEvent.BreakerCreated created) {
                register(registry, breakers.breaker(created.breaker()));
            } else if (event instanceof BreakerEvent.StateChanged changed) {
                Counter.builder("gb.circuit.breaker.transitions")
                        .description("State changes of a circuit breaker").tag("name", changed.breaker())
                        .tag("from", changed.from().word()).tag("to", changed.to().word()).register(registry)
                        .increment();
            }
        });
        breakers.all().forEach(b -> register(registry, b));
    }

    private static void register(MeterRegistry registry, Breaker b) {
        for (BreakerState s : BreakerState.values()) {
            Gauge.builder("gb.circuit.breaker.state", b, x -> BreakerState.of(x.circuitBreaker().getState()) == s ? 1 : 0)
                    .description("1 for the circuit breaker's current state").tag("name", b.name())
                    .tag("state", s.word()).register(registry);
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
}
