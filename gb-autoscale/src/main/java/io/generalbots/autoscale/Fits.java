package io.generalbots.autoscale;

import java.util.Arrays;

/**
 * The two line fits of the scaler, as pure functions over points {@code (x[i], y[i])}: the robust
 * Theil–Sen line of the forecast and the least-squares line whose residuals measure the noise a
 * scale-down keeps headroom for. No state, no time: the callers give the points.
 */
final class Fits {

    private Fits() {
    }

    /**
     * A fitted line, anchored where it was fitted: {@code y = level + slope × (x - x0)}. Keeping
     * the anchor (rather than only the intercept at 0) keeps the arithmetic of a forecast near the
     * anchor exact when x is large (seconds of a monotonic clock).
     *
     * @param x0    the anchor
     * @param level the line's value at the anchor
     * @param slope the slope
     */
    record Line(double x0, double level, double slope) {

        /** The line's value at {@code x}. */
        double at(double x) {
            return level + slope * (x - x0);
        }

        /** The line's value at {@code x = 0}. */
        double intercept() {
            return at(0);
        }
    }

    /**
     * The Theil–Sen line, anchored at {@code at}: the slope is the median of the slopes between
     * every two points (0 between points with the same x), the level the median of the values
     * each point gives at {@code at} along that slope.
     *
     * @param x  the abscissas
     * @param y  the values, as many
     * @param at where to anchor the line
     * @return the line
     */
    static Line theilSen(double[] x, double[] y, double at) {
        int n = requirePoints(x, y, 2);
        double[] slopes = new double[n * (n - 1) / 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double dx = x[j] - x[i];
                slopes[k++] = dx == 0 ? 0 : (y[j] - y[i]) / dx;
            }
        }
        double slope = median(slopes);
        double[] levels = new double[n];
        for (int i = 0; i < n; i++) {
            levels[i] = y[i] + slope * (at - x[i]);
        }
        return new Line(at, median(levels), slope);
    }

    /**
     * The least-squares line, anchored at the mean of x (where its level is the mean of y); slope
     * 0 when every x is the same.
     *
     * @param x the abscissas
     * @param y the values, as many
     * @return the line
     */
    static Line leastSquares(double[] x, double[] y) {
        int n = requirePoints(x, y, 1);
        double mx = Arrays.stream(x).average().orElse(0);
        double my = Arrays.stream(y).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            double dx = x[i] - mx;
            sxy += dx * (y[i] - my);
            sxx += dx * dx;
        }
        return new Line(mx, my, sxx == 0 ? 0 : sxy / sxx);
    }

    /**
     * The standard deviation of the residuals around a fitted line, with the n − 2 degrees of
     * freedom of a two-parameter fit.
     *
     * @param line the line fitted to the points
     * @param x    the abscissas
     * @param y    the values, as many, at least 3
     * @return the standard deviation
     */
    static double residualDeviation(Line line, double[] x, double[] y) {
        int n = requirePoints(x, y, 3);
        double var = 0;
        for (int i = 0; i < n; i++) {
            double r = y[i] - line.at(x[i]);
            var += r * r;
        }
        return Math.sqrt(var / (n - 2));
    }

    /**
     * The median (of an even count, the mean of the middle two).
     *
     * @param values at least one value; not changed
     * @return the median
     */
    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int h = v.length / 2;
        return v.length % 2 == 1 ? v[h] : (v[h - 1] + v[h]) / 2;
    }

    private static int requirePoints(double[] x, double[] y, int min) {
        if (x.length != y.length || x.length < min) {
            throw new IllegalArgumentException("points must be at least " + min + " pairs (x, y), but was "
                    + x.length + " x and " + y.length + " y");
        }
        return x.length;
    }
}
