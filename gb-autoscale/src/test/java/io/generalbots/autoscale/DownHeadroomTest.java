package io.generalbots.autoscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DownHeadroomTest {

    private static final long SECOND = 1_000_000_000L;

    private static DownHeadroom with(double... busy) {
        DownHeadroom h = new DownHeadroom(120 * SECOND);
        for (int i = 0; i < busy.length; i++) {
            h.add(i * SECOND, busy[i]);
        }
        return h;
    }

    @Test
    void fewerThanThreeChecksGiveTheTolerance() {
        assertThat(with().fraction(0)).isEqualTo(Recommendation.DOWN_TOLERANCE);
        assertThat(with(50).fraction(0)).isEqualTo(Recommendation.DOWN_TOLERANCE);
        assertThat(with(50, 60).fraction(SECOND)).isEqualTo(Recommendation.DOWN_TOLERANCE);
    }

    @Test
    void noLoadAtAllGivesTheMostThatMayGo() {
        assertThat(with(0, 0).fraction(SECOND)).isEqualTo(Recommendation.MAX_DOWN_FRACTION);
        assertThat(with(0, 0, 0).fraction(2 * SECOND)).isEqualTo(Recommendation.MAX_DOWN_FRACTION);
    }

    @Test
    void aTrendIsNotNoise() {
        // a straight rise has no residuals: 1 - 0, capped
        assertThat(with(10, 20, 30, 40, 50).fraction(4 * SECOND)).isEqualTo(Recommendation.MAX_DOWN_FRACTION);
    }

    @Test
    void theNoiseAroundTheLineOverTheMeanIsKeptAsHeadroom() {
        // around y = 2x + 18: residuals 2, 0, -2, -4, 4, deviation sqrt(40 / 3); mean 22
        assertThat(with(20, 20, 20, 20, 30).fraction(4 * SECOND))
                .isCloseTo(1 - Math.sqrt(40.0 / 3) / 22, within(1e-12));
        // more noise than the floor allows
        assertThat(with(10, 10, 10, 10, 20).fraction(4 * SECOND)).isEqualTo(Recommendation.MIN_DOWN_FRACTION);
    }

    @Test
    void checksOlderThanTheWindowAreDropped() {
        DownHeadroom h = with(10, 10, 10, 10, 20);
        assertThat(h.fraction(120 * SECOND)).isEqualTo(Recommendation.MIN_DOWN_FRACTION);   // 0 s is 120 s old: in
        assertThat(h.fraction(123 * SECOND)).isEqualTo(Recommendation.DOWN_TOLERANCE);      // 3 s and 4 s are left
    }
}
