package io.generalbots.autoscale.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LoadTraceTest {

    @Test
    void readsMinutesSkippingCommentsAndBlankLines() {
        LoadTrace t = LoadTrace.parse("t.csv", "\uFEFF# a trace\r\nminute , requests_per_min\r\n0,100\n\n1, 250.5 \n");
        assertThat(t.minutes()).isEqualTo(2);
        assertThat(t.requestsPerMinute(1)).isEqualTo(250.5);
    }

    @Test
    void anExtraColumnIsAnErrorNamingTheLine() {
        assertThatThrownBy(() -> LoadTrace.parse("t.csv", "minute,requests_per_min\n0,100\n1,250.5,b\n"))
                .hasMessage("t.csv:3: a row must be MINUTE,REQUESTS_PER_MIN, but was \"1,250.5,b\"");
        assertThatThrownBy(() -> LoadTrace.parse("t.csv", "minute,requests_per_min\n0,100,\n"))
                .hasMessage("t.csv:2: a row must be MINUTE,REQUESTS_PER_MIN, but was \"0,100,\"");
        assertThatThrownBy(() -> LoadTrace.parse("t.csv", "# a trace\nminute,requests_per_min,note\n0,100,a\n"))
                .hasMessage("t.csv:2: the header must be minute,requests_per_min, but was \"minute,requests_per_min,note\"");
    }

    @Test
    void aYearOfMinutesIsReadOneMinuteMoreIsRefused() {
        StringBuilder text = new StringBuilder("minute,requests_per_min\n");
        for (int m = 0; m < LoadTrace.MAX_MINUTES; m++) {
            text.append(m).append(",1\n");
        }
        assertThat(LoadTrace.parse("year.csv", text.toString()).minutes()).isEqualTo(527_040);
        text.append("527040,1\n");
        assertThatThrownBy(() -> LoadTrace.parse("year.csv", text.toString()))
                .hasMessage("year.csv:527042: the trace must be at most 527040 minutes (366 days), but is longer");
        assertThatThrownBy(() -> LoadTrace.of("code", new double[527_041]))
                .hasMessage("code: the trace must be at most 527040 minutes (366 days), but has 527041");
    }

    @Test
    void aLongLineOrALargeFileIsRefusedAtItsLine() {
        assertThatThrownBy(() -> LoadTrace.parse("t.csv", "minute,requests_per_min\n0,1\n# " + "x".repeat(1023) + "\n"))
                .hasMessage("t.csv:3: a line must be at most 1024 bytes (1 KiB), but this one is longer");
        // 16 MiB of comments of 1023 bytes + \n: line 16385 is the first past the limit
        String comments = ("#" + "c".repeat(1022) + "\n").repeat(16_385);
        assertThatThrownBy(() -> LoadTrace.parse("t.csv", comments))
                .hasMessage("t.csv:16385: the trace must be at most 16777216 bytes (16 MiB), but is longer");
    }

    @Test
    void devZeroIsRefusedAtItsFirstLine() {
        java.nio.file.Path zero = java.nio.file.Path.of("/dev/zero");
        org.junit.jupiter.api.Assertions.assertTrue(java.nio.file.Files.exists(zero), "needs /dev/zero");
        assertThatThrownBy(() -> LoadTrace.load(zero)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("zero:1: a line must be at most 1024 bytes (1 KiB), but this one is longer");
    }

    @Test
    void invalidUtf8NamesTheLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("t.csv");
        java.nio.file.Files.write(file, "minute,requests_per_min\n0,1\n1,\u00ff\n".getBytes(
                java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> LoadTrace.load(file)).hasMessage("t.csv:3: the line is not valid UTF-8 text");
    }
}
