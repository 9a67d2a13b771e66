package io.generalbots.autoscale.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LoadTraceTest {

    @Test
    void readsMinutesSkippingCommentsAndExtraColumns() {
        LoadTrace t = LoadTrace.parse("t.csv", "# a trace\nminute,requests_per_min,note\n0,100,a\n\n1,250.5,b\n");
        assertThat(t.minutes()).isEqualTo(2);
        assertThat(t.requestsPerMinute(1)).isEqualTo(250.5);
    }

    @Test
    void aMissingHeaderNamesTheLine() {
        assertThatThrownBy(() -> LoadTrace.parse("t.csv", "0,100\n1,200\n"))
                .hasMessage("t.csv:1: the header must be minute,requests_per_min, but was \"0,100\"");
        assertThatThrownBy(() -> LoadTrace.parse("t.csv", ""))
                .hasMessage("t.csv:1: the header must be minute,requests_per_min, but the file is empty");
    }

    @Test
    void badValuesNameTheLine() {
        assertThatThrownBy(() -> LoadTrace.parse("t.csv", "minute,requests_per_min\n0,100\n1,lots\n"))
                .hasMessage("t.csv:3: requests_per_min must be a number >= 0, but was \"lots\"");
        assertThatThrownBy(() -> LoadTrace.parse("t.csv", "minute,requests_per_min\n0,-5\n"))
                .hasMessage("t.csv:2: requests_per_min must be a number >= 0, but was \"-5\"");
        assertThatThrownBy(() -> LoadTrace.parse("t.csv", "minute,requests_per_min\nx,5\n"))
                .hasMessage("t.csv:2: minute must be a whole number, but was \"x\"");
        assertThatThrownBy(() -> LoadTrace.parse("t.csv", "minute,requests_per_min\n0\n"))
                .hasMessage("t.csv:2: a row must be MINUTE,REQUESTS_PER_MIN, but was \"0\"");
    }

    @Test
    void missingOrRepeatedMinutesNameTheLine() {
        assertThatThrownBy(() -> LoadTrace.parse("t.csv", "minute,requests_per_min\n0,1\n2,1\n"))
                .hasMessage("t.csv:3: minute 1 is missing (found minute 2)");
        assertThatThrownBy(() -> LoadTrace.parse("t.csv", "minute,requests_per_min\n0,1\n1,1\n1,1\n"))
                .hasMessage("t.csv:4: minute 1 is repeated or out of order (expected minute 2)");
        assertThatThrownBy(() -> LoadTrace.parse("t.csv", "minute,requests_per_min\n"))
                .hasMessage("t.csv:1: the trace has no minutes");
    }
}
