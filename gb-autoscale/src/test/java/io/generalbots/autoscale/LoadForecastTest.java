package io.generalbots.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoadForecastTest {

    private static final long SECOND = 1_000_000_000L;

    /** Feeds checks 0..9 s of busy = 100 + 10 t on 4 instances; returns the last forecast. */
    private static double rising(LoadForecast f, long horizon) {
        double last = 0;
        for (int t = 0; t < LoadForecast.TREND_CHECKS; t++) {
            last = f.forecast(t * SECOND, 100 + 10 * t, 4, horizon);
            if (t < LoadForecast.TREND_CHECKS - 1) {
                assertThat(last).as("check %d: too few checks", t).isNaN();
            }
        }
        return last;
    }

    @Test
    void aRiseIsExtrapolatedOverTheHorizonPerInstance() {
        // at 9 s the busy CPU is 190 and rises 10 per second: in 5 s 240, over 4 instances 60 each
        assertThat(rising(new LoadForecast(), 5 * SECOND)).isEqualTo(60.0);
    }

    @Test
    void onlyTheLastChecksCount() {
        LoadForecast f = new LoadForecast();
        for (int t = 0; t < 5; t++) {
            f.forecast(t * SECOND, 400 - 10 * t, 4, 0);   // falling first
        }
        double last = 0;
        for (int t = 5; t < 5 + LoadForecast.TREND_CHECKS; t++) {
            last = f.forecast(t * SECOND, 100 + 10 * t, 4, 0);
        }
        assertThat(last).isEqualTo((100 + 10 * 14) / 4.0);
    }

    @Test
    void noRiseNoForecast() {
        LoadForecast f = new LoadForecast();
        double last = 0;
        for (int t = 0; t < LoadForecast.TREND_CHECKS; t++) {
            last = f.forecast(t * SECOND, 200 - t, 4, 5 * SECOND);
        }
        assertThat(last).isNaN();
        LoadForecast flat = new LoadForecast();
        for (int t = 0; t < LoadForecast.TREND_CHECKS; t++) {
            last = flat.forecast(t * SECOND, 200, 4, 5 * SECOND);
        }
        assertThat(last).isNaN();
    }

    @Test
    void aSaturatedCheckInTheWindowMeansNoForecast() {
        LoadForecast f = new LoadForecast();
        f.forecast(0, 95 * 4, 4, 0);   // 95 % on average: the busy CPU no longer shows the load
        double last = 0;
        for (int t = 1; t < LoadForecast.TREND_CHECKS; t++) {
            last = f.forecast(t * SECOND, 100 + 10 * t, 4, 0);
        }
        assertThat(last).isNaN();
        // once it left the window, the rise is forecast again
        assertThat(f.forecast(10 * SECOND, 200, 4, 0)).isEqualTo(50.0);
    }

    @Test
    void resetForgetsTheChecks() {
        LoadForecast f = new LoadForecast();
        rising(f, 0);
        f.reset();
        assertThat(rising(f, 5 * SECOND)).as("9 checks NaN again, then the forecast").isEqualTo(60.0);
    }
}
