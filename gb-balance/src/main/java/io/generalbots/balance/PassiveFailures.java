package io.generalbots.balance;

/**
 * Caddy's passive health check: an upstream is down while it has had {@code maxFails} failures
 * within the last {@code failDuration}. Kept as the times of the last {@code maxFails} failures, so
 * the upstream is down until the oldest of them plus {@code failDuration}: one volatile read per
 * availability check, no lock on the pick path.
 */
final class PassiveFailures {

    private final long[] times;
    private final long failDurationNanos;
    private int next;
    private int count;
    private volatile long downUntil = Long.MIN_VALUE;

    PassiveFailures(int maxFails, long failDurationNanos) {
        this.times = new long[maxFails];
        this.failDurationNanos = failDurationNanos;
    }

    boolean enabled() {
        return failDurationNanos > 0;
    }

    /**
     * Records a failure.
     *
     * @return true if this failure marked the upstream down
     */
    synchronized boolean record(long now) {
        if (!enabled()) {
            return false;
        }
        boolean wasDown = isDown(now);
        times[next] = now;
        next = (next + 1) % times.length;
        count = Math.min(count + 1, times.length);
        if (count == times.length) {
            long oldest = times[next];  // the ring is full: next is the oldest of the last maxFails
            downUntil = oldest + failDurationNanos;
        }
        return !wasDown && isDown(now);
    }

    boolean isDown(long now) {
        return now - downUntil < 0 && downUntil != Long.MIN_VALUE;
    }

    synchronized int failuresWithin(long now) {
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (now - times[i] < failDurationNanos) {
                n++;
            }
        }
        return n;
    }
}
