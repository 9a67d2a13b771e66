package io.generalbots.scaling.testing;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The one polling helper of the project's tests: waits, bounded, for something that happens on
 * another thread or in another process (a server coming up, a background check taking an upstream
 * out, a replica catching up).
 *
 * <p>Use it only where the test cannot drive time itself; where a component takes a
 * {@link io.generalbots.scaling.Ticker}, drive a {@link ManualTicker} instead. A timeout fails the
 * test with an {@link AssertionError} that names what was awaited and, for
 * {@link #until(String, Duration, Supplier, Predicate)}, the last value seen:
 * <pre>{@code
 * Await.until("upstream s2 out", Duration.ofSeconds(10), () -> !u2.healthy());
 * String state = Await.until("replica streaming", Duration.ofSeconds(20), this::replicaState,
 *         "streaming"::equals);
 * }</pre>
 * Polls every 10 ms at first, backing off to every 100 ms.
 */
public final class Await {

    private Await() {
    }

    /**
     * Waits until the condition holds.
     *
     * @param what      what is awaited, for the failure message
     * @param timeout   the most to wait
     * @param condition polled until it returns {@code true}
     * @throws AssertionError if it did not hold within the timeout
     */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        Objects.requireNonNull(condition, "condition");
        until(what, timeout, condition::getAsBoolean, Boolean::booleanValue);
    }

    /**
     * Waits until a value passes a test, and returns it.
     *
     * @param what    what is awaited, for the failure message
     * @param timeout the most to wait
     * @param value   read until it passes
     * @param done    the test
     * @param <T>     the value's type
     * @return the first value that passed
     * @throws AssertionError if none passed within the timeout; the message shows the last value
     */
    public static <T> T until(String what, Duration timeout, Supplier<T> value, Predicate<? super T> done) {
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(done, "done");
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 10;
        while (true) {
            T v = value.get();
            if (done.test(v)) {
                return v;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what + " (last value: " + v + ")");
            }
            try {
                TimeUnit.MILLISECONDS.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + what, e);
            }
            pause = Math.min(100, pause * 2);
        }
    }
}
