package io.generalbots.ratelimit;

import java.util.Arrays;
import java.util.Objects;

/**
 * The recorders a limiter tells of each decision and, on Redis, of each round trip: how
 * {@link RateLimitMetrics} counts without wrapping the limiter. An array read per decision;
 * nothing is allocated.
 */
final class DecisionRecorders {

    /** Told of decisions; implemented by {@link RateLimitMetrics}. Must not block or allocate. */
    interface Recorder {
        /** A Redis round trip that returned a reply. */
        int REPLY = 0;
        /** A Redis round trip that failed. */
        int ERROR = 1;
        /** A Redis round trip that ran out of its time budget. */
        int TIMEOUT = 2;

        /**
         * One decision.
         *
         * @param source   where it came from
         * @param endpoint the endpoint bucket the request fell under, or null for the global limit only
         * @param allowed  whether it was allowed
         */
        void decided(RateLimitDecision.Source source, Bucket endpoint, boolean allowed);

        /**
         * One Redis round trip.
         *
         * @param nanos  from sending to the reply, the error or the timeout
         * @param result {@link #REPLY}, {@link #ERROR} or {@link #TIMEOUT}
         */
        void redisCall(long nanos, int result);
    }

    private static final Recorder[] NONE = new Recorder[0];
    private volatile Recorder[] all = NONE;

    synchronized void add(Recorder recorder) {
        Recorder[] now = Arrays.copyOf(all, all.length + 1);
        now[now.length - 1] = Objects.requireNonNull(recorder, "recorder");
        all = now;
    }

    void decided(RateLimitDecision.Source source, Bucket endpoint, boolean allowed) {
        for (Recorder r : all) {
            r.decided(source, endpoint, allowed);
        }
    }

    void redisCall(long nanos, int result) {
        for (Recorder r : all) {
            r.redisCall(nanos, result);
        }
    }
}
