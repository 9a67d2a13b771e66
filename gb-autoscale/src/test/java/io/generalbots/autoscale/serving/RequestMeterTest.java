package io.generalbots.autoscale.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import io.generalbots.scaling.testing.ManualTicker;
import org.junit.jupiter.api.Test;

class RequestMeterTest {

    private static final long MS = 1_000_000L;

    @Test
    void countsExactlyTheRequestsOfTheCurrentSecondAndThe59Before() {
        ManualTicker t = new ManualTicker();
        RequestMeter m = new RequestMeter(60, t);
        t.advance(Duration.ofMillis(500));
        m.record(t.read() - 10 * MS, 200);                      // ends in second 0
        t.advance(Duration.ofMillis(59_400));                   // 59.9 s: second 59
        m.record(t.read() - 30 * MS, 200);
        assertThat(m.window().requests()).isEqualTo(2);
        assertThat(m.window().requestsPerMinute()).isEqualTo(2);
        t.advance(Duration.ofMillis(99));                       // 59.999 s: still second 59
        assertThat(m.window().requests()).isEqualTo(2);
        t.advance(Duration.ofMillis(1));                        // 60.000 s: second 0 left the window
        assertThat(m.window().requests()).isEqualTo(1);
        assertThat(m.window().averageMillis()).isEqualTo(30.0);
        t.advance(Duration.ofMillis(58_999));                   // 118.999 s: second 59 is the oldest
        assertThat(m.window().requests()).isEqualTo(1);
        t.advance(Duration.ofMillis(1));
        assertThat(m.window().requests()).isZero();
        assertThat(m.window().averageMillis()).isNaN();
        assertThat(m.window().p95Millis()).isNaN();
    }

    @Test
    void aSlotIsReusedForItsNewSecondOnly() {
        ManualTicker t = new ManualTicker();
        RequestMeter m = new RequestMeter(60, t);
        for (int i = 0; i < 5; i++) {
            m.record(t.read(), 200);
        }
        t.advance(Duration.ofSeconds(60));                      // same slot, a minute later
        m.record(t.read(), 200);
        assertThat(m.window().requests()).isEqualTo(1);
        // a request that ended a minute ago is out of the window: not counted, and the slot stays
        m.record(0, 0, 200);
        assertThat(m.window().requests()).isEqualTo(1);
    }

    @Test
    void averageIsExactAndP95IsTheUpperEndOfItsBin() {
        ManualTicker t = new ManualTicker();
        RequestMeter m = new RequestMeter(60, t);
        t.advance(Duration.ofSeconds(10));
        long now = t.read();
        for (int i = 1; i <= 100; i++) {
            m.record(now - i * MS, now, i == 100 ? 503 : 200);  // 1 ms .. 100 ms
        }
        RequestMeter.Window w = m.window();
        assertThat(w.requests()).isEqualTo(100);
        assertThat(w.errors()).isEqualTo(1);
        assertThat(w.averageMillis()).isEqualTo(50.5);
        // the 95th of 100 is 95 ms = 95,000 µs: bin [90,112 .. 98,303] µs
        assertThat(w.p95Millis()).isEqualTo(98.303);
        assertThat(w.p95Millis()).isBetween(95.0, 95.0 * 1.125);
    }

    @Test
    void binsCoverEveryValueContiguously() {
        int previous = -1;
        for (long v = 0; v < 70_000; v++) {
            int b = RequestMeter.bin(v);
            assertThat(b).isBetween(previous, previous + 1);
            assertThat(RequestMeter.upper(b)).isGreaterThanOrEqualTo(v);
            assertThat(RequestMeter.upper(b)).isLessThanOrEqualTo(Math.max(v, (long) (v * 1.125)));
            previous = b;
        }
        assertThat(RequestMeter.bin((1L << 32) - 1)).isEqualTo(RequestMeter.BINS - 1);
        assertThat(RequestMeter.upper(RequestMeter.BINS - 1)).isEqualTo((1L << 32) - 1);
    }

    @Test
    void aShorterWindowIsScaledToAMinute() {
        ManualTicker t = new ManualTicker();
        RequestMeter m = new RequestMeter(2, t);
        for (int i = 0; i < 7; i++) {
            m.record(t.read(), 200);
        }
        assertThat(m.window().requestsPerMinute()).isEqualTo(210);
        t.advance(Duration.ofSeconds(2));
        assertThat(m.window().requestsPerMinute()).isZero();
        assertThatThrownBy(() -> new RequestMeter(61, t)).hasMessage("windowSeconds must be from 1 to 60, but was 61");
    }

    @Test
    void aRequestWithoutAnAnswerIsAnError() {
        ManualTicker t = new ManualTicker();
        RequestMeter m = new RequestMeter(60, t);
        m.record(t.read(), -1);
        m.record(t.read(), 404);
        m.record(t.read(), 500);
        assertThat(m.window().errors()).isEqualTo(2);
        assertThat(m.window().errorsPerMinute()).isEqualTo(2);
    }
}
