package io.generalbots.scaling;

/**
 * A source of monotonic nanosecond time, injectable so that limiters, breakers, health checks and
 * the scaling engine can be tested deterministically without sleeping (as Caffeine's and Guava's
 * {@code Ticker}). Use {@link java.time.Clock} where wall-clock time is meant.
 */
@FunctionalInterface
public interface Ticker {

    /**
     * Nanoseconds since an arbitrary origin; only differences are meaningful.
     *
     * @return the current reading
     */
    long read();

    /**
     * The system ticker, {@link System#nanoTime()}.
     *
     * @return the system ticker
     */
    static Ticker system() {
        return System::nanoTime;
    }
}
