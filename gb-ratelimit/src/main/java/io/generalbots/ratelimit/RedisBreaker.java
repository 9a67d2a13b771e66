package io.generalbots.ratelimit;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.generalbots.scaling.Ticker;

/**
 * A small circuit breaker around Redis: opens after {@code threshold} consecutive failures, stays
 * open for {@code waitNanos}, then lets one trial call through (half-open); its success closes it,
 * its failure opens it again. Kept here so gb-ratelimit needs neither Resilience4j nor gb-failover.
 */
final class RedisBreaker {

    enum State { CLOSED, OPEN, HALF_OPEN }

    interface Listener {
        void onTransition(State from, State to, Throwable cause);
    }

    private final int threshold;
    private final long waitNanos;
    private final Ticker ticker;
    private final Listener listener;
    private final AtomicReference<State> state = new AtomicReference<>(State.CLOSED);
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicLong openedAt = new AtomicLong();

    RedisBreaker(int threshold, long waitNanos, Ticker ticker, Listener listener) {
        this.threshold = threshold;
        this.waitNanos = waitNanos;
        this.ticker = ticker;
        this.listener = listener;
    }

    State state() {
        return state.get();
    }

    /** Whether this call may go to Redis; when open and the wait is over, this call becomes the trial. */
    boolean tryCall() {
        State s = state.get();
        if (s == State.CLOSED) {
            return true;
        }
        if (s == State.OPEN && ticker.read() - openedAt.get() >= waitNanos
                && state.compareAndSet(State.OPEN, State.HALF_OPEN)) {
            listener.onTransition(State.OPEN, State.HALF_OPEN, null);
            return true;
        }
        return false;
    }

    void onSuccess() {
        if (failures.get() != 0) { // read first: no shared write per decision while all is well
            failures.set(0);
        }
        if (state.get() != State.CLOSED && state.compareAndSet(State.HALF_OPEN, State.CLOSED)) {
            listener.onTransition(State.HALF_OPEN, State.CLOSED, null);
        }
    }

    void onFailure(Throwable cause) {
        if (state.get() == State.HALF_OPEN) {
            openedAt.set(ticker.read());
            if (state.compareAndSet(State.HALF_OPEN, State.OPEN)) {
                listener.onTransition(State.HALF_OPEN, State.OPEN, cause);
            }
            return;
        }
        if (failures.incrementAndGet() >= threshold && state.get() == State.CLOSED) {
            openedAt.set(ticker.read());
            if (state.compareAndSet(State.CLOSED, State.OPEN)) {
                failures.set(0);
                listener.onTransition(State.CLOSED, State.OPEN, cause);
            }
        }
    }
}
