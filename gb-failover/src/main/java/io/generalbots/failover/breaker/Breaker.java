package io.generalbots.failover.breaker;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.generalbots.scaling.Ticker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * A named circuit breaker in front of one dependency, on a Resilience4j {@link CircuitBreaker}
 * configured by a {@link BreakerConfig}. Get one from a {@link BreakerRegistry}.
 *
 * <p>Calls go through {@link #call(Callable)}, {@link #get(Supplier)} or {@link #run(Runnable)}:
 * the call runs when the breaker permits it, its outcome is recorded, and an open breaker throws
 * a {@link BreakerOpenException} (naming the breaker and the wait left) without calling. State
 * changes are noticed on the calls themselves (a volatile read, no allocation), so a breaker costs
 * no more than a plain Resilience4j one; they are logged with the breaker's name and published to
 * the registry's listeners as {@link BreakerEvent.StateChanged} (and counted by the meters). A
 * change made on the underlying breaker directly is seen at the next call or {@link #state()}.
 *
 * <p>A disabled breaker ({@code circuit-breaker-enabled,false}) is {@link BreakerState#DISABLED}:
 * every call passes straight through and nothing is recorded.
 */
public final class Breaker {

    private final String name;
    private final CircuitBreaker delegate;
    private final BreakerRegistry registry;
    private final BreakerConfig config;
    private final Ticker ticker;
    private final long waitNanos;
    private final AtomicReference<CircuitBreaker.State> observed;
    /** When this breaker was last seen to open (ticker nanoseconds). */
    private volatile long openedAt;
    private final TimeUnit timestampUnit;
    private final Predicate<Throwable> ignored;
    private final Predicate<Throwable> recorded;
    /** What {@link BreakerMetrics} records per call; an array read, so a call allocates nothing. */
    private volatile CallRecorder[] recorders = NO_RECORDERS;

    private static final CallRecorder[] NO_RECORDERS = new CallRecorder[0];

    /**
     * Told of every call's outcome, as Resilience4j's event consumers are but without an event
     * object per call. Implemented by {@link BreakerMetrics}; must not block and must not allocate.
     */
    interface CallRecorder {
        /** The call succeeded (or failed with an exception the record predicate rejects). */
        void successful(long nanos);

        /** The call failed with a recorded exception. */
        void failed(long nanos);

        /** The call failed with an ignored exception. */
        void ignored(long nanos);

        /** The breaker rejected the call. */
        void notPermitted();
    }

    Breaker(String name, BreakerConfig config, BreakerRegistry registry) {
        this.name = Objects.requireNonNull(name, "name");
        this.delegate = CircuitBreaker.of(name, config.toResilience4j());
        this.registry = registry;
        this.config = config;
        this.ticker = config.ticker();
        this.waitNanos = config.waitInOpen().toNanos();
        if (!config.enabled()) {
            delegate.transitionToDisabledState();
        }
        this.observed = new AtomicReference<>(delegate.getState());
        this.timestampUnit = delegate.getTimestampUnit();
        this.ignored = delegate.getCircuitBreakerConfig().getIgnoreExceptionPredicate();
        this.recorded = delegate.getCircuitBreakerConfig().getRecordExceptionPredicate();
    }

    synchronized void addRecorder(CallRecorder recorder) {
        CallRecorder[] now = Arrays.copyOf(recorders, recorders.length + 1);
        now[now.length - 1] = Objects.requireNonNull(recorder, "recorder");
        recorders = now;
    }

    /**
     * The breaker's name (the dependency's).
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The breaker's configuration.
     *
     * @return the configuration
     */
    public BreakerConfig config() {
        return config;
    }

    /**
     * The current state ({@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}, or {@code DISABLED} when
     * breakers are switched off). An open breaker whose wait is over reads {@code OPEN} until the
     * next call makes it half-open.
     *
     * @return the state
     */
    public BreakerState state() {
        CircuitBreaker.State now = delegate.getState();
        if (now != observed.get()) {
            observe();
        }
        return BreakerState.of(now);
    }

    /**
     * The underlying Resilience4j breaker, for its decorators and metrics. Handing it out is the
     * point of this method, so its type is Resilience4j's: use it only where you want Resilience4j
     * itself (decorating a {@code CompletionStage}, its own metrics or events); everything else
     * is on this class in gb-failover's own types. Calls made through it directly are recorded as
     * usual; their state changes are reported at the next call here.
     *
     * @return the Resilience4j breaker
     */
    public CircuitBreaker circuitBreaker() {
        return delegate;
    }

    /**
     * Calls through the breaker.
     *
     * @param callable the call
     * @param <T>      the result type
     * @return the call's result
     * @throws BreakerOpenException when the breaker is open (the call is not made)
     * @throws Exception             what the call throws (recorded first)
     */
    public <T> T call(Callable<T> callable) throws Exception {
        try {
            acquirePermission();
            long start = delegate.getCurrentTimestamp();
            try {
                T result = callable.call();
                // onSuccess, not onResult: our configurations never judge results, and onResult
                // allocates an Either per call to ask the (default, no-op) result predicates
                long took = delegate.getCurrentTimestamp() - start;
                delegate.onSuccess(took, timestampUnit);
                recordSuccess(took);
                return result;
            } catch (Throwable t) {
                long took = delegate.getCurrentTimestamp() - start;
                delegate.onError(took, timestampUnit, t);
                recordError(took, t);
                throw t;
            }
        } finally {
            if (delegate.getState() != observed.get()) {
                observe();
            }
        }
    }

    /**
     * Calls through the breaker a call that throws no checked exception.
     *
     * @param supplier the call
     * @param <T>      the result type
     * @return the call's result
     * @throws BreakerOpenException when the breaker is open (the call is not made)
     */
    public <T> T get(Supplier<T> supplier) {
        try {
            acquirePermission();
            long start = delegate.getCurrentTimestamp();
            try {
                T result = supplier.get();
                long took = delegate.getCurrentTimestamp() - start;
                delegate.onSuccess(took, timestampUnit);
                recordSuccess(took);
                return result;
            } catch (Throwable t) {
                long took = delegate.getCurrentTimestamp() - start;
                delegate.onError(took, timestampUnit, t);
                recordError(took, t);
                throw t;
            }
        } finally {
            if (delegate.getState() != observed.get()) {
                observe();
            }
        }
    }

    /**
     * Runs an action through the breaker.
     *
     * @param action the action
     * @throws BreakerOpenException when the breaker is open (the action is not run)
     */
    public void run(Runnable action) {
        get(() -> {
            action.run();
            return null;
        });
    }

    /**
     * Whether a call would be let through now, without taking a trial permit.
     *
     * @return false while open
     */
    public boolean isCallPermitted() {
        return !state().isOpen();
    }

    private void acquirePermission() {
        try {
            delegate.acquirePermission();
        } catch (CallNotPermittedException e) {
            for (CallRecorder r : recorders) {
                r.notPermitted();
            }
            CircuitBreaker.State now = delegate.getState();
            if (now != observed.get()) {
                observe(); // the call that opened it may not have reported it yet: openedAt is now set
            }
            BreakerState state = BreakerState.of(now);
            long left = state == BreakerState.OPEN ? Math.max(0, waitNanos - (ticker.read() - openedAt)) : 0;
            throw new BreakerOpenException(name, state, Duration.ofNanos(left), e);
        }
    }

    private void recordSuccess(long took) {
        CallRecorder[] rs = recorders;
        if (rs.length > 0) {
            long nanos = timestampUnit.toNanos(took);
            for (CallRecorder r : rs) {
                r.successful(nanos);
            }
        }
    }

    /** As Resilience4j classifies an error: ignored, recorded as a failure, or else a success. */
    private void recordError(long took, Throwable t) {
        CallRecorder[] rs = recorders;
        if (rs.length > 0) {
            long nanos = timestampUnit.toNanos(took);
            boolean ignore = ignored.test(t);
            boolean failure = !ignore && recorded.test(t);
            for (CallRecorder r : rs) {
                if (ignore) {
                    r.ignored(nanos);
                } else if (failure) {
                    r.failed(nanos);
                } else {
                    r.successful(nanos);
                }
            }
        }
    }

    /** Closes the breaker and forgets its recorded calls (an operator's reset). */
    public void reset() {
        if (observed.get() == CircuitBreaker.State.DISABLED) {
            return;
        }
        delegate.reset();
        observe();
    }

    /** Reports every state change not reported yet, once, from whichever thread sees it first. */
    private void observe() {
        while (true) {
            CircuitBreaker.State before = observed.get();
            CircuitBreaker.State now = delegate.getState();
            if (now == before) {
                return;
            }
            if (now == CircuitBreaker.State.OPEN) {
                openedAt = ticker.read(); // before the CAS: a rejection reading it must see this opening
            }
            if (observed.compareAndSet(before, now)) {
                registry.stateChanged(this, BreakerState.of(before), BreakerState.of(now));
                return;
            }
        }
    }

    @Override
    public String toString() {
        return "Breaker[" + name + ", " + delegate.getState() + "]";
    }
}
