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

    @Test
    void devZeroIsRefusedAtItsFirstLineWithExit2AndNoStackTrace() {
        org.junit.jupiter.api.Assertions.assertTrue(Files.exists(Path.of("/dev/zero")), "needs /dev/zero");
        Result r = run("check", "/dev/zero");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("/dev/zero:1: a line must be at most 65536 bytes (64 KiB), but this one is longer"
                + System.lineSeparator());
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aFileOverOneMibIsRefusedAtTheLineThatGoesOver(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.csv");
        // 19 bytes a line: line 55189 is the first past 1 MiB
        Files.writeString(file, "bot-greeting,hello\n".repeat(60_000));
        Result r = run("check", file.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo(file + ":55189: the file must be at most 1048576 bytes (1 MiB), but is longer"
                + System.lineSeparator());
        assertThat(r.out()).isEmpty();
    }

    @Test
    void anEndlessPipeIsRefusedWithoutReadingItAll(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("config.fifo");
        org.junit.jupiter.api.Assertions.assertTrue(
                new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "needs mkfifo");
        long[] written = new long[1];
        Thread writer = new Thread(() -> {
            byte[] line = "scale-enabled,true\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            try (java.io.OutputStream o = Files.newOutputStream(fifo)) {
                // bounded: 64 MiB at most, ended early by the reader closing the pipe
                while (written[0] < (64L << 20)) {
                    o.write(line);
                    written[0] += line.length;
                }
            } catch (java.io.IOException e) {
                // broken pipe: the reader has stopped, as it should
            }
        });
        writer.setDaemon(true);
        writer.start();
        Result r = run("check", fifo.toString());
        writer.join(10_000);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo(fifo + ":55189: the file must be at most 1048576 bytes (1 MiB), but is longer"
                + System.lineSeparator());
        assertThat(writer.isAlive()).as("the writer saw the pipe closed").isFalse();
        assertThat(written[0]).isLessThan(2L << 20);
    }

    @Test
    void keysThatDifferFromOursByCaseBomOrNoBreakSpaceAreWarnedWithADidYouMean(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.csv");
        Files.writeString(file, "Rate-Limit-Requests,50\nrate-limit-window,30\n\uFEFFrate-limit-burst,5\n"
                + "scale-max-instances\u00A0,4\nbot-name,demo\n");
        Result r = run("check", file.toString());
        assertThat(r.code()).isZero();
        assertThat(r.err().lines()).containsExactly(
                file + ":1: warning: unknown key Rate-Limit-Requests; did you mean rate-limit-requests?",
                file + ":3: warning: unknown key \\ufeffrate-limit-burst; did you mean rate-limit-burst?",
                file + ":4: warning: unknown key scale-max-instances\\u00a0; did you mean scale-max-instances?");
        Result strict = run("check", "--strict", file.toString());
        assertThat(strict.code()).isEqualTo(2);
        assertThat(strict.err().lines()).first()
                .isEqualTo(file + ":1: unknown key Rate-Limit-Requests; did you mean rate-limit-requests?");
    }

    @Test
    void keysAreEscapedOnTheTerminal(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.csv");
        Files.writeString(file, "rate-limit-api-ch\u001b[2Jat,5\nrate-limit-api-x\u0007,lots\nscale-\u001b]0;x\u0007,1\n");
        Result r = run("check", file.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).contains("rate-limit-api-ch\\u001b[2Jat = 5  (line 1)")
                .doesNotContain("\u001b").doesNotContain("\u0007");
        assertThat(r.err().lines()).containsExactly(
                file + ":2: rate-limit-api-x\\u0007 must be an integer from 1 to 100000, but was \"lots\"",
                file + ":3: warning: unknown key scale-\\u001b]0;x\\u0007");
    }
}
