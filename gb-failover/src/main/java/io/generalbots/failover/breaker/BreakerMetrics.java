package io.generalbots.failover.breaker;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer meters of the breakers of a {@link BreakerRegistry}, under the names and tags of
 * {@code resilience4j-micrometer}'s {@code TaggedCircuitBreakerMetrics}, so that existing
 * Resilience4j dashboards and alerts work unchanged. Breakers created after binding get their
 * meters when they are created. The only class of gb-failover's breakers that touches Micrometer
 * (an optional dependency).
 *
 * <pre>{@code BreakerMetrics.of(breakers).bindTo(meterRegistry);}</pre>
 *
 * <table>
 *   <caption>Meters (Prometheus names in METRICS.md)</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th></tr>
 *   <tr><td>{@code resilience4j.circuitbreaker.state}</td><td>gauge, 1 for the current state</td>
 *       <td>{@code name}, {@code state} ({@code closed}, {@code open}, {@code half_open}, {@code disabled},
 *       {@code forced_open}, {@code metrics_only})</td></tr>
 *   <tr><td>{@code resilience4j.circuitbreaker.calls}</td><td>timer (seconds)</td>
 *       <td>{@code name}, {@code kind} ({@code successful}, {@code failed}, {@code ignored})</td></tr>
 *   <tr><td>{@code resilience4j.circuitbreaker.not.permitted.calls}</td><td>counter</td>
 *       <td>{@code name}, {@code kind=not_permitted}</td></tr>
 *   <tr><td>{@code resilience4j.circuitbreaker.buffered.calls}</td><td>gauge</td>
 *       <td>{@code name}, {@code kind} ({@code successful}, {@code failed})</td></tr>
 *   <tr><td>{@code resilience4j.circuitbreaker.slow.calls}</td><td>gauge</td>
 *       <td>{@code name}, {@code kind} ({@code successful}, {@code failed})</td></tr>
 *   <tr><td>{@code resilience4j.circuitbreaker.failure.rate}</td><td>gauge, percent; -1 until the
 *       window holds {@code circuit-breaker-threshold} calls</td><td>{@code name}</td></tr>
 *   <tr><td>{@code resilience4j.circuitbreaker.slow.call.rate}</td><td>gauge, percent; -1 likewise</td>
 *       <td>{@code name}</td></tr>
 *   <tr><td>{@code gb.circuit.breaker.transitions}</td><td>counter (ours; Resilience4j has none);
 *       closed-open, open-half_open, half_open-closed and half_open-open registered at 0</td>
 *       <td>{@code name}, {@code from}, {@code to} (state words as above)</td></tr>
 * </table>
 *
 * <p>Unlike {@code resilience4j-micrometer}, which registers Resilience4j event consumers (and so
 * makes every call allocate an event), the calls are timed by {@link Breaker} itself: a call through
 * a bound breaker still allocates nothing. Calls made on {@link Breaker#circuitBreaker()} directly
 * bypass {@link Breaker} and are not timed (the gauges, which read Resilience4j's own counters,
 * include them).
 */
public final class BreakerMetrics implements MeterBinder {

    /** The calls timer; Prometheus: {@code resilience4j_circuitbreaker_calls_seconds}. */
    public static final String CALLS = "resilience4j.circuitbreaker.calls";
    /** The state gauges; Prometheus: {@code resilience4j_circuitbreaker_state}. */
    public static final String STATE = "resilience4j.circuitbreaker.state";
    /** The not-permitted counter; Prometheus: {@code resilience4j_circuitbreaker_not_permitted_calls_total}. */
    public static final String NOT_PERMITTED_CALLS = "resilience4j.circuitbreaker.not.permitted.calls";
    /** Calls in the sliding window. */
    public static final String BUFFERED_CALLS = "resilience4j.circuitbreaker.buffered.calls";
    /** Slow calls in the sliding window. */
    public static final String SLOW_CALLS = "resilience4j.circuitbreaker.slow.calls";
    /** Failure rate of the window, percent. */
    public static final String FAILURE_RATE = "resilience4j.circuitbreaker.failure.rate";
    /** Slow-call rate of the window, percent. */
    public static final String SLOW_CALL_RATE = "resilience4j.circuitbreaker.slow.call.rate";
    /** Our counter of state changes. */
    public static final String TRANSITIONS = "gb.circuit.breaker.transitions";

    private final BreakerRegistry breakers;

    private BreakerMetrics(BreakerRegistry breakers) {
        this.breakers = Objects.requireNonNull(breakers, "breakers");
    }

    /**
     * Meters for a registry's breakers, present and future.
     *
     * @param breakers the breaker registry
     * @return the binder
     */
    public static BreakerMetrics of(BreakerRegistry breakers) {
        return new BreakerMetrics(breakers);
    }

    /** The transitions of a breaker's life, counted from 0; others (forced, disabled) on first use. */
    private static final BreakerState[][] USUAL = {
            {BreakerState.CLOSED, BreakerState.OPEN},
            {BreakerState.OPEN, BreakerState.HALF_OPEN},
            {BreakerState.HALF_OPEN, BreakerState.CLOSED},
            {BreakerState.HALF_OPEN, BreakerState.OPEN}};

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        Set<String> bound = ConcurrentHashMap.newKeySet();
        // listen first, then register the existing breakers; a breaker created in between is seen
        // twice and bound once
        breakers.addListener(event -> {
            if (event instanceof BreakerEvent.BreakerCreated created) {
                Breaker b = breakers.breaker(created.breaker());
                if (bound.add(b.name())) {
                    register(registry, b);
                }
            } else if (event instanceof BreakerEvent.StateChanged changed) {
                transitions(registry, changed.breaker(), changed.from(), changed.to()).increment();
            }
        });
        for (Breaker b : breakers.all()) {
            if (bound.add(b.name())) {
                register(registry, b);
            }
        }
    }

    private static Counter transitions(MeterRegistry registry, String breaker, BreakerState from, BreakerState to) {
        return Counter.builder(TRANSITIONS).description("State changes of the circuit breaker").tag("name", breaker)
                .tag("from", word(from)).tag("to", word(to)).register(registry);
    }

    private static void register(MeterRegistry registry, Breaker b) {
        String name = b.name();
        for (BreakerState[] t : USUAL) {
            transitions(registry, name, t[0], t[1]);
        }
        for (CircuitBreaker.State s : CircuitBreaker.State.values()) {
            Gauge.builder(STATE, b, x -> x.circuitBreaker().getState() == s ? 1 : 0)
                    .description("The states of the circuit breaker").tag("name", name).tag("state", word(s))
                    .register(registry);
        }
        Gauge.builder(BUFFERED_CALLS, b, x -> x.circuitBreaker().getMetrics().getNumberOfFailedCalls())
                .description("The number of buffered failed calls stored in the ring buffer")
                .tag("name", name).tag("kind", "failed").register(registry);
        Gauge.builder(BUFFERED_CALLS, b, x -> x.circuitBreaker().getMetrics().getNumberOfSuccessfulCalls())
                .description("The number of buffered successful calls stored in the ring buffer")
                .tag("name", name).tag("kind", "successful").register(registry);
        Gauge.builder(SLOW_CALLS, b, x -> x.circuitBreaker().getMetrics().getNumberOfSlowSuccessfulCalls())
                .description("The number of slow successful which were slower than a certain threshold")
                .tag("name", name).tag("kind", "successful").register(registry);
        Gauge.builder(SLOW_CALLS, b, x -> x.circuitBreaker().getMetrics().getNumberOfSlowFailedCalls())
                .description("The number of slow failed calls which were slower than a certain threshold")
                .tag("name", name).tag("kind", "failed").register(registry);
        Gauge.builder(FAILURE_RATE, b, x -> x.circuitBreaker().getMetrics().getFailureRate())
                .description("The failure rate of the circuit breaker").tag("name", name).register(registry);
        Gauge.builder(SLOW_CALL_RATE, b, x -> x.circuitBreaker().getMetrics().getSlowCallRate())
                .description("The slow call of the circuit breaker").tag("name", name).register(registry);
        b.addRecorder(new Recorder(
                timer(registry, name, "successful", "Total number of successful calls"),
                timer(registry, name, "failed", "Total number of failed calls"),
                timer(registry, name, "ignored", "Total number of calls which failed but the exception was ignored"),
                Counter.builder(NOT_PERMITTED_CALLS).description("Total number of not permitted calls")
                        .tag("name", name).tag("kind", "not_permitted").register(registry)));
    }

    private static Timer timer(MeterRegistry registry, String name, String kind, String description) {
        return Timer.builder(CALLS).description(description).tag("name", name).tag("kind", kind).register(registry);
    }

    /** Resilience4j's tag value of a state: {@code half_open}, {@code forced_open}, ... */
    static String word(CircuitBreaker.State s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    /** The same words for our states (whose own {@link BreakerState#word()} says {@code half-open}). */
    static String word(BreakerState s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    /** Records into pre-registered meters: nothing is looked up or allocated per call. */
    private static final class Recorder implements Breaker.CallRecorder {
        private final Timer successful;
        private final Timer failed;
        private final Timer ignored;
        private final Counter notPermitted;

        Recorder(Timer successful, Timer failed, Timer ignored, Counter notPermitted) {
            this.successful = successful;
            this.failed = failed;
            this.ignored = ignored;
            this.notPermitted = notPermitted;
        }

        @Override
        public void successful(long nanos) {
            successful.record(nanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void failed(long nanos) {
            failed.record(nanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void ignored(long nanos) {
            ignored.record(nanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void notPermitted() {
            notPermitted.increment();
        }
    }
}
