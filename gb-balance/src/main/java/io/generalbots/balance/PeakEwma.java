package io.generalbots.balance;

/**
 * A peak-EWMA latency estimate (as in Finagle and Linkerd): a sample above the estimate replaces
 * it at once (the peak), a lower one is blended in with weight {@code 1 - exp(-Δt/τ)}, and the
 * estimate decays towards zero while no samples arrive so that a penalised upstream is tried again.
 * A failed call counts as at least {@code errorPenalty}, so that an upstream answering fast errors
 * does not look fast.
 */
final class PeakEwma {

    private final double tau;
    private final long errorPenaltyNanos;
    private volatile double value;
    private volatile long stamp;
    private boolean seen;

    PeakEwma(long decayNanos, long errorPenaltyNanos) {
        this.tau = decayNanos;
        this.errorPenaltyNanos = errorPenaltyNanos;
    }

    synchronized void observe(long now, long rttNanos, boolean failed) {
        double sample = failed ? Math.max(rttNanos, errorPenaltyNanos) : Math.max(0, rttNanos);
        if (!seen) {
            seen = true;
            value = sample;
        } else {
            double w = Math.exp(-Math.max(0, now - stamp) / tau);
            double current = value * w;
            value = sample > current ? sample : current + sample * (1 - w);
        }
        stamp = now;
    }

    double estimate(long now) {
        return decayed(now);
    }

    private double decayed(long now) {
        double v = value;
        long age = now - stamp;
        return age <= 0 ? v : v * Math.exp(-age / tau);
    }
}
