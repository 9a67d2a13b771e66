package io.generalbots.autoscale;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The forecast of the scaler: the average CPU of the ready instances one horizon ahead, from the
 * robust (Theil–Sen, {@link Fits#theilSen}) trend of the total busy CPU (average × ready) over the
 * last {@value #TREND_CHECKS} checks. NaN unless that slope rises and no check is saturated (at
 * or above {@value #SATURATED} %). A median slope rises only when most pairs of checks do:
 * symmetric noise is no trend, nor is a step of the load once most checks lie on one side of it,
 * while a noisy but steady rise is (a least-squares fit gated on R² ≥ 0.8 missed it).
 *
 * <p>Not thread-safe: the scaler calls it under its lock.
 */
final class LoadForecast {

    /** Checks over which the CPU trend is fitted. */
    static final int TREND_CHECKS = 10;
    /** Average CPU % at which instances count as saturated: their busy CPU no longer shows the load. */
    static final double SATURATED = 95;

    /** One check: seconds, total busy CPU, average CPU. */
    private record Point(double seconds, double busy, double average) {
    }

    private final Deque<Point> trend = new ArrayDeque<>();

    /** Forgets the checks seen: the next forecast needs {@value #TREND_CHECKS} new ones. */
    void reset() {
        trend.clear();
    }

    /**
     * Adds a check and forecasts from the last {@value #TREND_CHECKS}.
     *
     * @param now          the ticker's reading of the check
     * @param busy         the sum of the known CPU % of the ready instances
     * @param known        how many ready instances reported a CPU (at least 1)
     * @param horizonNanos how far ahead to look
     * @return the forecast average CPU %, or NaN (too few checks, a saturated check, no rise)
     */
    double forecast(long now, double busy, int known, long horizonNanos) {
        trend.addLast(new Point(now / 1e9, busy, busy / known));
        while (trend.size() > TREND_CHECKS) {
            trend.removeFirst();
        }
        if (trend.size() < TREND_CHECKS) {
            return Double.NaN;
        }
        double[] x = new double[trend.size()];
        double[] y = new double[trend.size()];
        int i = 0;
        for (Point p : trend) {
            if (p.average() >= SATURATED) {
                return Double.NaN;
            }
            x[i] = p.seconds();
            y[i++] = p.busy();
        }
        Fits.Line line = Fits.theilSen(x, y, now / 1e9);
        if (!(line.slope() > 0)) {
            return Double.NaN;
        }
        return (line.level() + line.slope() * (horizonNanos / 1e9)) / known;
    }
}
