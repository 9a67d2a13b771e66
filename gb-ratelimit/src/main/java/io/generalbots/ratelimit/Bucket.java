package io.generalbots.ratelimit;

/**
 * The exact integer arithmetic of one GCRA bucket (capacity {@code C}, refilled at {@code N} per
 * window {@code W}), shared by the local backend and, through its parameters, the Redis script.
 *
 * <p>Time is counted in units of {@code 1/S} microsecond, where {@code S = N / gcd(W_µs, N)}, so
 * that the emission interval {@code W/N} is the whole number {@code increment = W_µs / gcd} of
 * units; the tolerance is {@code C × increment}. A bucket's state is its theoretical arrival time
 * {@code tat}; a request at {@code now} moves it to {@code max(tat, now) + increment} and is
 * allowed when {@code diff = that − now} is at most the tolerance. Everything the caller sees
 * (remaining, retry after, time to the next unit) follows from {@code diff} alone.
 */
final class Bucket {

    final String name;
    final int index;
    final long capacity;
    final long refill;
    final long windowMicros;
    /** Units per microsecond. */
    final long scale;
    /** Units per request. */
    final long increment;
    /** {@code capacity × increment}. */
    final long tolerance;

    Bucket(String name, int index, long capacity, long refill, long windowMicros) {
        this.name = name;
        this.index = index;
        this.capacity = capacity;
        this.refill = refill;
        this.windowMicros = windowMicros;
        long g = gcd(windowMicros, refill);
        this.scale = refill / g;
        this.increment = windowMicros / g;
        this.tolerance = capacity * increment;
    }

    static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /** Microseconds an empty bucket needs to be full again. */
    long fullMicros() {
        return ceilDiv(tolerance, scale);
    }

    /**
     * The would-be {@code diff} of a request at {@code now} given the state {@code tat}.
     *
     * @param tat the state, in units
     * @param now now, in units
     * @return {@code max(tat, now) + increment - now}
     */
    long diff(long tat, long now) {
        return Math.max(tat, now) + increment - now;
    }

    boolean allows(long diff) {
        return diff <= tolerance;
    }

    /** Requests left after an allowed request with this diff (0 when denied). */
    long remaining(long diff) {
        return diff <= tolerance ? (tolerance - diff) / increment : 0;
    }

    /** Microseconds until a request would be allowed (0 when allowed). */
    long retryAfterMicros(long diff) {
        return diff <= tolerance ? 0 : ceilDiv(diff - tolerance, scale);
    }

    /**
     * Microseconds until one more request is available than now: after an allowed request, until
     * {@code remaining} grows by one; after a denied one, until the next request is allowed.
     */
    long nextMicros(long diff) {
        if (diff > tolerance) {
            return ceilDiv(diff - tolerance, scale);
        }
        long threshold = tolerance - (remaining(diff) + 1) * increment;
        return ceilDiv(diff - threshold, scale);
    }

    /**
     * The most requests this bucket admits within any span of {@code spanMicros} (a half-open
     * interval {@code [t, t + span)}): for any {@code n} admitted requests GCRA keeps the last at
     * least {@code (n − capacity) × W/N} after the first, so {@code n ≤ capacity + ⌈span × N / W⌉ − 1};
     * a client reaches it by emptying a full bucket at {@code t} and then sending whenever allowed.
     * For one window W that is {@code capacity + N − 1} (the global bucket: 2R+B−1).
     *
     * @param spanMicros the span, positive, at most a few days
     * @return the bound
     */
    long maxAdmittedWithin(long spanMicros) {
        return capacity + ceilDiv(spanMicros * scale, increment) - 1;
    }

    static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    @Override
    public String toString() {
        return name + "[" + capacity + " per " + windowMicros + "µs refill " + refill + "]";
    }
}
