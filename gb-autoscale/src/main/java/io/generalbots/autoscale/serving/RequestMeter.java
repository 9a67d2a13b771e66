package io.generalbots.autoscale.serving;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

import io.generalbots.scaling.Checks;
import io.generalbots.scaling.Ticker;

/**
 * Meters served requests over a sliding window of whole seconds (a minute by default): how many
 * ended, how many failed (5xx), their average and 95th-percentile response time. Memory is fixed:
 * one slot per second of the window, each with counters and a histogram of
 * {@value #BINS} bins; recording allocates nothing and takes no lock (except once per second,
 * when a slot is reused for a new second).
 *
 * <p>Exact on a {@link Ticker}: a request counts in the second its {@link #record end} falls in,
 * seconds counted from the meter's creation; {@link #window(long)} covers the current second and
 * the {@code windowSeconds - 1} before it. Response times are kept in microseconds, in bins exact
 * below 16 µs and 1/8 of an octave wide above (up to about 71 minutes; longer ones count as that):
 * the p95 reported is the upper end of its bin, so it is never below the true value and at most
 * 12.5 % above it. The average is exact to the microsecond.
 *
 * <p>Thread-safe. A thread that stops for longer than the whole window between reading the
 * ticker and recording (a stalled thread, not a slow request) may have its request counted in a
 * later second.
 */
public final class RequestMeter {

    /** Histogram bins per slot. */
    public static final int BINS = 240;
    private static final int LINEAR = 16;
    private static final int SUB = 8;
    private static final long MAX_MICROS = (1L << 32) - 1;
    private static final long SECOND = 1_000_000_000L;

    private final Ticker ticker;
    private final long origin;
    private final int slots;
    private final AtomicLongArray tags;
    private final AtomicLongArray counts;
    private final AtomicLongArray errors;
    private final AtomicLongArray micros;
    private final AtomicIntegerArray histogram;
    private final Object rollover = new Object();

    /**
     * A window of what the meter saw.
     *
     * @param requests          requests that ended in the window
     * @param errors            of those, the ones answered with a 5xx status (or none)
     * @param requestsPerMinute requests scaled to one minute ({@code requests × 60 / windowSeconds}, rounded)
     * @param errorsPerMinute   errors scaled to one minute
     * @param averageMillis     average response time in milliseconds, NaN without requests
     * @param p95Millis         95th-percentile response time in milliseconds (upper end of its bin),
     *                          NaN without requests
     */
    public record Window(long requests, long errors, long requestsPerMinute, long errorsPerMinute,
                         double averageMillis, double p95Millis) {
    }

    /**
     * A meter over the last {@code windowSeconds} seconds.
     *
     * @param windowSeconds 1..60
     * @param ticker        the time source
     */
    public RequestMeter(int windowSeconds, Ticker ticker) {
        this.slots = Checks.requireRange("windowSeconds", windowSeconds, 1, 60);
        this.ticker = java.util.Objects.requireNonNull(ticker, "ticker");
        this.origin = ticker.read();
        this.tags = new AtomicLongArray(slots);
        for (int i = 0; i < slots; i++) {
            tags.set(i, Long.MIN_VALUE);
        }
        this.counts = new AtomicLongArray(slots);
        this.errors = new AtomicLongArray(slots);
        this.micros = new AtomicLongArray(slots);
        this.histogram = new AtomicIntegerArray(slots * BINS);
    }

    /**
     * The window's length in seconds.
     *
     * @return the seconds
     */
    public int windowSeconds() {
        return slots;
    }

    /**
     * Records a request that ended now.
     *
     * @param startedNanos the ticker's reading when it began
     * @param status       the HTTP status it was answered with; 5xx, or below 100 (none sent),
     *                     counts as an error
     */
    public void record(long startedNanos, int status) {
        record(startedNanos, ticker.read(), status);
    }

    /**
     * Records a request.
     *
     * @param startedNanos the ticker's reading when it began
     * @param endedNanos   the ticker's reading when it ended
     * @param status       the HTTP status
     */
    public void record(long startedNanos, long endedNanos, int status) {
        long second = Math.floorDiv(endedNanos - origin, SECOND);
        int slot = (int) Math.floorMod(second, (long) slots);
        if (!claim(slot, second)) {
            return;
        }
        long us = Math.min(MAX_MICROS, Math.max(0, (endedNanos - startedNanos) / 1000));
        counts.incrementAndGet(slot);
        micros.addAndGet(slot, us);
        histogram.incrementAndGet(slot * BINS + bin(us));
        if (status >= 500 || status < 100) {
            errors.incrementAndGet(slot);
        }
    }

    /** Makes the slot hold this second; false if the second is already out of the window. */
    private boolean claim(int slot, long second) {
        long tag = tags.get(slot);
        if (tag == second) {
            return true;
        }
        if (tag > second) {
            return false;
        }
        synchronized (rollover) {
            tag = tags.get(slot);
            if (tag < second) {
                counts.set(slot, 0);
                errors.set(slot, 0);
                micros.set(slot, 0);
                int base = slot * BINS;
                for (int b = 0; b < BINS; b++) {
                    histogram.set(base + b, 0);
                }
                tags.set(slot, second);
                return true;
            }
            return tag == second;
        }
    }

    /**
     * The window ending now.
     *
     * @return the window
     */
    public Window window() {
        return window(ticker.read());
    }

    /**
     * The window ending at a ticker reading: the second it falls in and the ones before it.
     *
     * @param nowNanos the reading
     * @return the window
     */
    public Window window(long nowNanos) {
        long second = Math.floorDiv(nowNanos - origin, SECOND);
        long n = 0;
        long failed = 0;
        long sum = 0;
        long[] bins = new long[BINS];
        synchronized (rollover) {
            for (int slot = 0; slot < slots; slot++) {
                long tag = tags.get(slot);
                if (tag > second - slots && tag <= second) {
                    n += counts.get(slot);
                    failed += errors.get(slot);
                    sum += micros.get(slot);
                    int base = slot * BINS;
                    for (int b = 0; b < BINS; b++) {
                        bins[b] += histogram.get(base + b);
                    }
                }
            }
        }
        double average = n == 0 ? Double.NaN : sum / (double) n / 1000.0;
        double p95 = Double.NaN;
        if (n > 0) {
            long rank = (long) Math.ceil(n * 0.95);
            long seen = 0;
            for (int b = 0; b < BINS; b++) {
                seen += bins[b];
                if (seen >= rank) {
                    p95 = upper(b) / 1000.0;
                    break;
                }
            }
        }
        return new Window(n, failed, Math.round(n * 60.0 / slots), Math.round(failed * 60.0 / slots), average, p95);
    }

    /**
     * The histogram bin of a response time.
     *
     * @param micros microseconds, 0..2^32-1
     * @return the bin, 0..{@value #BINS}-1
     */
    static int bin(long micros) {
        if (micros < LINEAR) {
            return (int) micros;
        }
        int e = 63 - Long.numberOfLeadingZeros(micros);
        int sub = (int) (micros >>> (e - 3)) & (SUB - 1);
        return LINEAR + (e - 4) * SUB + sub;
    }

    /**
     * The largest response time of a bin.
     *
     * @param bin the bin
     * @return microseconds
     */
    static long upper(int bin) {
        if (bin < LINEAR) {
            return bin;
        }
        int e = 4 + (bin - LINEAR) / SUB;
        int sub = (bin - LINEAR) % SUB;
        return ((SUB + sub + 1L) << (e - 3)) - 1;
    }
}
