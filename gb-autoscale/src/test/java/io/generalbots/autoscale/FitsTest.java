package io.generalbots.autoscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FitsTest {

    private static final double[] X = {0, 1, 2, 3, 4};
    /** Flat at 0 with one outlier at the end. */
    private static final double[] OUTLIER = {0, 0, 0, 0, 10};

    @Test
    void bothFitsFindAnExactLine() {
        double[] y = {1, 3, 5, 7, 9};   // y = 2x + 1

        Fits.Line theilSen = Fits.theilSen(X, y, 4);
        Fits.Line leastSquares = Fits.leastSquares(X, y);

        assertThat(theilSen.slope()).isEqualTo(2.0);
        assertThat(theilSen.intercept()).isEqualTo(1.0);
        assertThat(theilSen.level()).isEqualTo(9.0);   // anchored where asked
        assertThat(leastSquares.slope()).isEqualTo(2.0);
        assertThat(leastSquares.intercept()).isEqualTo(1.0);
        assertThat(leastSquares.x0()).isEqualTo(2.0);  // anchored at the mean
        assertThat(leastSquares.level()).isEqualTo(5.0);
    }

    @Test
    void theilSenIgnoresAnOutlierThatLeastSquaresFollows() {
        // 6 of the 10 pairs have slope 0, the 4 with the outlier 2.5, 3.33, 5 and 10: the median is 0
        Fits.Line theilSen = Fits.theilSen(X, OUTLIER, 4);
        assertThat(theilSen.slope()).isEqualTo(0.0);
        assertThat(theilSen.intercept()).isEqualTo(0.0);

        // mean x 2, mean y 2, sxy 20, sxx 10: slope 2 through (2, 2)
        Fits.Line leastSquares = Fits.leastSquares(X, OUTLIER);
        assertThat(leastSquares.slope()).isEqualTo(2.0);
        assertThat(leastSquares.intercept()).isEqualTo(-2.0);
        assertThat(leastSquares.at(4)).isEqualTo(6.0);
    }

    @Test
    void residualDeviationHasTheDegreesOfFreedomOfALine() {
        // residuals around y = 2x - 2: 2, 0, -2, -4, 4; squares 40 over 5 - 2
        Fits.Line line = Fits.leastSquares(X, OUTLIER);
        assertThat(Fits.residualDeviation(line, X, OUTLIER)).isCloseTo(Math.sqrt(40.0 / 3), within(1e-12));
        assertThat(Fits.residualDeviation(Fits.leastSquares(X, new double[] {1, 3, 5, 7, 9}), X,
                new double[] {1, 3, 5, 7, 9})).isEqualTo(0.0);
    }

    @Test
    void pointsWithTheSameXHaveSlopeZero() {
        double[] x = {5, 5, 5};
        double[] y = {1, 2, 3};
        assertThat(Fits.leastSquares(x, y)).isEqualTo(new Fits.Line(5, 2, 0));
        assertThat(Fits.theilSen(x, y, 5)).isEqualTo(new Fits.Line(5, 2, 0));
    }

    @Test
    void theilSenTakesTheMedianOfAnEvenNumberOfSlopes() {
        // 3 pairs: slopes 1 (0-1), 2 (0-2), 3 (1-2); with 4 points: 6 pairs
        double[] x = {0, 1, 2, 3};
        double[] y = {0, 1, 4, 9};   // pair slopes 1, 2, 3, 3, 4, 5: median (3 + 3) / 2
        Fits.Line line = Fits.theilSen(x, y, 0);
        assertThat(line.slope()).isEqualTo(3.0);
        // levels at 0: 0, -2, -2, 0: median -1
        assertThat(line.intercept()).isEqualTo(-1.0);
    }

    @Test
    void medianOfOddAndEvenCountsAndTheInputIsNotChanged() {
        double[] v = {4, 1, 3, 2};
        assertThat(Fits.median(v)).isEqualTo(2.5);
        assertThat(v).containsExactly(4, 1, 3, 2);
        assertThat(Fits.median(new double[] {7, 1, 3})).isEqualTo(3.0);
    }

    @Test
    void tooFewOrUnpairedPointsAreRefused() {
        assertThatThrownBy(() -> Fits.theilSen(new double[] {1}, new double[] {1}, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("points must be at least 2 pairs (x, y), but was 1 x and 1 y");
        assertThatThrownBy(() -> Fits.leastSquares(new double[] {1, 2}, new double[] {1}))
                .hasMessage("points must be at least 1 pairs (x, y), but was 2 x and 1 y");
        assertThatThrownBy(() -> Fits.residualDeviation(new Fits.Line(0, 0, 0), new double[] {1, 2},
                new double[] {1, 2})).hasMessage("points must be at least 3 pairs (x, y), but was 2 x and 2 y");
    }
}
