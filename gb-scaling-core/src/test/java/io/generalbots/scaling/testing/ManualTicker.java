package io.generalbots.scaling.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import io.generalbots.scaling.Ticker;

/**
 * Test time that moves only when told to: a {@link Ticker} and, through {@link #clock()}, a
 * {@link Clock} reading the same time (starting at 2026-01-01T00:00:00Z). Thread-safe.
 */
public final class ManualTicker implements Ticker {

    private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");
    private final AtomicLong nanos = new AtomicLong();

    @Override
    public long read() {
        return nanos.get();
    }

    /**
     * Moves time forward.
     *
     * @param duration how far
     * @return this
     */
    public ManualTicker advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
        return this;
    }

    /**
     * A clock that reads this ticker's time.
     *
     * @return the clock
     */
    public Clock clock() {
        return asClock(EPOCH);
    }
}
