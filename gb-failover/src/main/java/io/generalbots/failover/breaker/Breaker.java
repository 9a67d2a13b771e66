package io.generalbots.failover.breaker;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * A named circuit breaker in front of one dependency, on a Resilience4j {@link CircuitBreaker}
 * configured by a {@link BreakerConfig}. Get one from a {@link BreakerRegistry}.
 *
 * <p>Calls go through {@link #call(Callable)}, {@link #get(Supplier)} or {@link #run(Runnable)}:
 * the call runs when the breaker permits it, its outcome is recorded, and an open breaker throws
 * Resilience4j's {@link CallNotPermittedException} without calling. State changes are noticed on
 * the calls themselves (a volatile read, no allocation), so a breaker costs no more than a plain
 * Resilience4j one; they are logged with the breaker's name and passed to the registry's
 * listeners (and meters). A change made on the underlying breaker directly is seen at the next
 * call or {@link #state()}.
 *
 * <p>A disabled breaker ({@code circuit-breaker-enabled,false}) is in Resilience4j's
 * {@code DISABLED} state: every call passes straight through and nothing is recorded.
 */
public final class Breaker {

    private final String name;
    private final CircuitBreaker delegate;
    private final BreakerRegistry registry;
    private final BreakerConfig config;
    private final AtomicReference<CircuitBreaker.State> observed;

    Breaker(String name, BreakerConfig config, BreakerRegistry registry) {
        this.name = Objects.requireNonNull(name, "name");
        this.delegate = CircuitBreaker.of(name, config.toResilience4j());
        this.registry = registry;
        this.config = config;
        if (!config.enabled()) {
            delegate.transitionToDisabledState();
        }
        this.observed = new AtomicReference<>(delegate.getState());
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
    public CircuitBreaker.State state() {
        CircuitBreaker.State now = delegate.getState();
        if (now != observed.get()) {
            observe();
        }
        return now;
    }

    /**
     * The underlying Resilience4j breaker, for its decorators and metrics. Calls made through it
     * directly are recorded as usual; their state changes are reported at the next call here.
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
     * @throws CallNotPermittedException when the breaker is open
     * @throws Exception                 what the call throws (recorded first)
     */
    public <T> T call(Callable<T> callable) throws Exception {
        try {
            delegate.acquirePermission();
            long start = delegate.getCurrentTimestamp();
            try {
                T result = callable.call();
                // onSuccess, not onResult: our configurations never judge results, and onResult
                // allocates an Either per call to ask the (default, no-op) result predicates
                delegate.onSuccess(delegate.getCurrentTimestamp() - start, delegate.getTimestampUnit());
                return result;
            } catch (Throwable t) {
                delegate.onError(delegate.getCurrentTimestamp() - start, delegate.getTimestampUnit(), t);
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
     * @throws CallNotPermittedException when the breaker is open
     */
    public <T> T get(Supplier<T> supplier) {
        try {
            delegate.acquirePermission();
            long start = delegate.getCurrentTimestamp();
            try {
                T result = supplier.get();
                delegate.onSuccess(delegate.getCurrentTimestamp() - start, delegate.getTimestampUnit());
                return result;
            } catch (Throwable t) {
                delegate.onError(delegate.getCurrentTimestamp() - start, delegate.getTimestampUnit(), t);
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
     * @throws CallNotPermittedException when the breaker is open
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
        CircuitBreaker.State s = state();
        return s != CircuitBreaker.State.OPEN && s != CircuitBreaker.State.FORCED_OPEN;
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
            if (observed.compareAndSet(before, now)) {
                registry.stateChanged(this, before, now);
                return;
            }
        }
    }

    @Override
    public String toString() {
        return "Breaker[" + name + ", " + delegate.getState() + "]";
    }
}
