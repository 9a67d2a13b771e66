package io.generalbots.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = GbScale.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void seedSettingsAreValid() {
        Result r = run("check", Path.of("..", "examples", "config", "seed-config.csv").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).doesNotContain(": scale-").doesNotContain("must be");
        assertThat(r.out()).contains("scale-cpu-threshold = 70  (line ").contains("health-endpoint = /api/health  (line ");
    }

    @Test
    void everySettingIsPrintedWithItsOrigin(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.csv");
        Files.writeString(file, "name,value\nscale-max-instances,4\nbot-name,demo\n");
        Result r = run("check", file.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out().lines()).contains("scale-max-instances = 4  (line 2)", "scale-min-instances = 1  (default)")
                .noneMatch(l -> l.startsWith("bot-name"));
        assertThat(r.err()).isEmpty();
    }

    @Test
    void badValueDuplicateAndMisspeltKeyAreAllReportedWithExit2(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.csv");
        Files.writeString(file, "scale-min-instances,2\nscale-cpu-threshold,7o\nscale-cpu-treshold,50\n"
                + "scale-min-instances,3\n");
        Result r = run("check", file.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines()).containsExactly(
                file + ":2: scale-cpu-threshold must be a number from 1 to 100, but was \"7o\"",
                file + ":3: warning: unknown key scale-cpu-treshold; did you mean scale-cpu-threshold?",
                file + ":4: scale-min-instances is given twice: on line 1 and on line 4");
    }

    @Test
    void warningsAloneExitZeroButStrictMakesThemErrors(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.csv");
        Files.writeString(file, "scale-cpu-treshold,50\n");
        assertThat(run("check", file.toString()).code()).isZero();
        Result strict = run("check", "--strict", file.toString());
        assertThat(strict.code()).isEqualTo(2);
        assertThat(strict.err()).isEqualTo(file + ":1: unknown key scale-cpu-treshold; did you mean "
                + "scale-cpu-threshold?" + System.lineSeparator());
    }

    @Test
    void unreadableFileExits2(@TempDir Path dir) {
        Path missing = dir.resolve("nope.csv");
        Result r = run("check", missing.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo(missing + ":0: " + missing + " does not exist" + System.lineSeparator());
        assertThat(r.out()).isEmpty();
    }

    @Test
    void badUsageExits2() {
        assertThat(run("check").code()).isEqualTo(2);
        assertThat(run("frobnicate").code()).isEqualTo(2);
        assertThat(run().code()).isEqualTo(2);
    }
}
