package io.generalbots.autoscale;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The fraction of the targets a scale-down aims at: 1 minus the relative noise of the busy CPU
 * (average × ready) over the stabilization window (the standard deviation of its residuals around
 * the least-squares line, {@link Fits#leastSquares}, over its mean: a trend is not noise), within
 * {@link Recommendation#MIN_DOWN_FRACTION}..{@link Recommendation#MAX_DOWN_FRACTION}: a noisy load
 * keeps more headroom, so that its next spike does not undo the scale-down.
 *
 * <p>Not thread-safe: the scaler calls it under its lock.
 */
final class DownHeadroom {

    private record Busy(long at, double busy) {
    }

    private final long windowNanos;
    private final Deque<Busy> window = new ArrayDeque<>();

    /**
     * @param windowNanos the stabilization window ({@code scale-down-stabilization-seconds})
     */
    DownHeadroom(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    /**
     * Adds a check's busy CPU.
     *
     * @param now  the ticker's reading
     * @param busy the sum of the known CPU % of the ready instances
     */
    void add(long now, double busy) {
        window.addLast(new Busy(now, busy));
    }

    /**
     * The fraction of the targets to aim at now; checks older than the window are dropped.
     * {@link Recommendation#DOWN_TOLERANCE} with fewer than 3 checks of load,
     * {@link Recommendation#MAX_DOWN_FRACTION} when there was no load at all.
     *
     * @param now the ticker's reading
     * @return the fraction
     */
    double fraction(long now) {
        while (!window.isEmpty() && now - window.peekFirst().at() > windowNanos) {
            window.removeFirst();
        }
        if (window.size() < 2) {
            return Recommendation.DOWN_TOLERANCE;
        }
        double mean = window.stream().mapToDouble(Busy::busy).average().orElse(0);
        if (mean <= 0 || window.size() < 3) {
            return mean <= 0 ? Recommendation.MAX_DOWN_FRACTION : Recommendation.DOWN_TOLERANCE;
        }
        long t0 = window.peekFirst().at();
        double[] x = new double[window.size()];
        double[] y = new double[window.size()];
        int i = 0;
        for (Busy p : window) {
            x[i] = (p.at() - t0) / 1e9;
            y[i++] = p.busy();
        }
        Fits.Line line = Fits.leastSquares(x, y);
        double f = 1 - Fits.residualDeviation(line, x, y) / mean;
        return Math.max(Recommendation.MIN_DOWN_FRACTION, Math.min(Recommendation.MAX_DOWN_FRACTION, f));
    }
}
