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

    /**
     * A {@link java.time.Clock} that reads this ticker: {@code origin} plus the ticker's reading, in
     * UTC. For libraries that take a {@code Clock} (Resilience4j's breakers, the scaling engine) when
     * time must follow an injected ticker, in tests and in simulations.
     *
     * @param origin the instant a reading of 0 stands for
     * @return the clock
     */
    default java.time.Clock asClock(java.time.Instant origin) {
        java.util.Objects.requireNonNull(origin, "origin");
        Ticker ticker = this;
        return new java.time.Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public java.time.Instant instant() {
                return origin.plusNanos(ticker.read());
            }
        };
    }
}
