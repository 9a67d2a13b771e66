package io.generalbots.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCommandTest {

    private static final String CONFIG = Path.of("..", "simulations", "seed-config.csv").toString();
    private static final String FLASH = Path.of("..", "simulations", "traces", "flash-crowd.csv").toString();

    private static CheckCommandTest.Result run(String... args) {
        return CheckCommandTest.run(args);
    }

    @Test
    void printsExactlyTheFourSummaryLines() {
        for (String policy : new String[] {"gb", "seed-script", "hpa", "oracle"}) {
            CheckCommandTest.Result r = run("simulate", CONFIG, FLASH, "--policy", policy);
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out().lines()).hasSize(4).satisfiesExactly(
                    l -> assertThat(l).matches("instance-minutes: \\d+(\\.\\d)?"),
                    l -> assertThat(l).matches("violation-minutes: \\d+"),
                    l -> assertThat(l).matches("scaling-events: \\d+"),
                    l -> assertThat(l).matches("peak-instances: \\d+"));
        }
    }

    @Test
    void capacityAndBootTimeChangeTheRun(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("steady.csv");
        Files.writeString(trace, "minute,requests_per_min\n0,840\n1,840\n2,840\n");
        assertThat(run("simulate", CONFIG, trace.toString()).out())
                .isEqualTo(String.format("instance-minutes: 6%nviolation-minutes: 0%nscaling-events: 0%npeak-instances: 2%n"));
        assertThat(run("simulate", CONFIG, trace.toString(), "--capacity-rpm", "300").out())
                .startsWith(String.format("instance-minutes: 12%n"));
        assertThat(run("simulate", CONFIG, FLASH, "--boot-seconds", "600").out())
                .isNotEqualTo(run("simulate", CONFIG, FLASH).out());
    }

    @Test
    void theOracleLaunchesOneBootTimeAheadOfTheLoad(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("step.csv");
        Files.writeString(trace, "minute,requests_per_min\n0,400\n1,400\n2,2000\n3,2000\n");
        // 4 instances launched at 60 s, ready for minute 2 (5 × 420 = 2100 >= 2000 at 70 %)
        CheckCommandTest.Result r = run("simulate", CONFIG, trace.toString(), "--policy", "oracle");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(String.format(
                "instance-minutes: 16%nviolation-minutes: 0%nscaling-events: 1%npeak-instances: 5%n"));
        assertThat(r.err()).isEmpty();
        // a 30 s boot launches them 30 s later: 2 instance-minutes less
        assertThat(run("simulate", CONFIG, trace.toString(), "--policy", "oracle", "--boot-seconds", "30").out())
                .startsWith(String.format("instance-minutes: 14%n"));
    }

    @Test
    void helpHasNoFormattingWarnings() {
        CheckCommandTest.Result r = run("simulate", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("100 % CPU").contains("--policy=gb|seed-script|hpa|oracle");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void drawsAChart(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("run.png");
        CheckCommandTest.Result r = run("simulate", CONFIG, FLASH, "--chart", png.toString());
        assertThat(r.code()).as(r.err()).isZero();
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes).startsWith(0x89, 'P', 'N', 'G');
    }

    @Test
    void aMalformedTraceIsExit2NamingTheLine(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("bad.csv");
        Files.writeString(trace, "minute,requests_per_min\n0,100\n1,-3\n");
        CheckCommandTest.Result r = run("simulate", CONFIG, trace.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip()).isEqualTo("bad.csv:3: requests_per_min must be a number >= 0, but was \"-3\"");
    }

    @Test
    void badConfigAndUsageAreExit2(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("config.csv");
        Files.writeString(config, "scale-cpu-threshold,7o\n");
        CheckCommandTest.Result bad = run("simulate", config.toString(), FLASH);
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("config.csv:1: scale-cpu-threshold must be");
        assertThat(bad.out()).isEmpty();

        CheckCommandTest.Result policy = run("simulate", CONFIG, FLASH, "--policy", "k8s");
        assertThat(policy.code()).isEqualTo(2);
        assertThat(policy.err().strip()).isEqualTo("gb-scale: --policy must be gb, seed-script, hpa or oracle, but was k8s");

        CheckCommandTest.Result capacity = run("simulate", CONFIG, FLASH, "--capacity-rpm", "0");
        assertThat(capacity.code()).isEqualTo(2);
        assertThat(capacity.err().strip()).isEqualTo("gb-scale: capacity-rpm must be a number > 0, but was 0.0");

        assertThat(run("simulate", CONFIG).code()).isEqualTo(2);
        assertThat(run("simulate", CONFIG, FLASH, "--boot-seconds", "soon").code()).isEqualTo(2);
        CheckCommandTest.Result missing = run("simulate", CONFIG, dir.resolve("missing.csv").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err().strip()).endsWith("missing.csv: cannot read the trace: no such file");
    }

    @Test
    void aTraceRowWithAnExtraColumnIsExit2NamingTheLine(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("extra.csv");
        Files.writeString(trace, "minute,requests_per_min\n0,100\n1,100,9\n");
        CheckCommandTest.Result r = run("simulate", CONFIG, trace.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("extra.csv:3: a row must be MINUTE,REQUESTS_PER_MIN, but was \"1,100,9\""
                + System.lineSeparator());
    }

    @Test
    void aTraceOverAYearIsExit2BeforeAnythingIsSimulated(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("long.csv");
        try (java.io.Writer w = Files.newBufferedWriter(trace)) {
            w.write("minute,requests_per_min\n");
            for (int m = 0; m <= 527_040; m++) {
                w.write(m + ",600\n");
            }
        }
        long start = System.nanoTime();
        CheckCommandTest.Result r = run("simulate", CONFIG, trace.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("long.csv:527042: the trace must be at most 527040 minutes (366 days), but is longer"
                + System.lineSeparator());
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(30));
    }

    @Test
    void devZeroAsATraceIsExit2(@TempDir Path dir) {
        org.junit.jupiter.api.Assertions.assertTrue(Files.exists(Path.of("/dev/zero")), "needs /dev/zero");
        CheckCommandTest.Result r = run("simulate", CONFIG, "/dev/zero");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("zero:1: a line must be at most 1024 bytes (1 KiB), but this one is longer"
                + System.lineSeparator());
    }
}
