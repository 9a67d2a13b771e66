package io.generalbots.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.generalbots.scaling.testing.RedisServer;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, defect 2: three cold JVMs started together on a healthy Redis must never admit more
 * than the bucket allows. Each process ({@link ColdStartLoad}) builds its limiter from a
 * {@code config.csv} with {@code rate-limit-requests,500}, {@code rate-limit-window,1s},
 * {@code rate-limit-burst,100} and otherwise the defaults (50 ms budget, breaker 5 / 10 s, local
 * fallback). The processes are launched at once and, once all three have built their limiter,
 * told to start together: 8 threads each on one key for {@value #RUN_MILLIS} ms, every code path
 * cold.
 *
 * <p>The bound, exact for GCRA: with capacity C = R+B and emission interval T = W/R, every admission
 * at time t leaves the state at {@code tat ≤ t + C·T}, and each admission moves {@code tat} by T
 * from at least its own arrival time. So the k admissions inside any interval [a, b] satisfy
 * {@code a + k·T ≤ tat ≤ b + C·T}: {@code k ≤ C + floor((b − a) / T) = R+B + floor(R·(b − a)/W)}.
 * Every decision is taken by Redis at a Redis {@code TIME} between the moment its request was sent and
 * the moment its reply arrived, and Redis reads the same system clock as these processes (one host),
 * so [a, b] = [the earliest process's time before its first decision (floored to the µs), the latest
 * process's time after its last reply (rounded up)] contains every admission Redis made; the bound
 * over it is exact, and the only slack is the latency at both ends (about one T). Whatever a process
 * admits without Redis (its fallback) counts too: with a healthy Redis the sum must stay within the
 * bound.
 */
class ColdStartRedisIT {

    static final long RUN_MILLIS = 8_000;
    private static final int PROCESSES = 3;
    private static final int THREADS = 8;
    private static final long R = 500;
    private static final long B = 100;
    private static final long W_MICROS = 1_000_000;

    @Test
    void threeColdJvmsOnOneKeyNeverAdmitMoreThanTheBucketAllows() throws Exception {
        Path logs = Files.createDirectories(Path.of("target", "cold-start-it"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try (RedisServer redis = RedisServer.start()) {
            List<Process> processes = new ArrayList<>();
            try {
                for (int i = 0; i < PROCESSES; i++) { // started together: no process waits for another
                    processes.add(new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                            ColdStartLoad.class.getName(), Integer.toString(redis.port()), Long.toString(RUN_MILLIS),
                            Integer.toString(THREADS))
                            .redirectError(logs.resolve("jvm-" + i + ".log").toFile()).start());
                }
                List<BufferedReader> outs = new ArrayList<>();
                for (Process p : processes) {
                    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                    assertThat(out.readLine()).as("ready line, see target/cold-start-it/").isEqualTo("ready");
                    outs.add(out);
                }
                for (Process p : processes) {
                    p.getOutputStream().write("go\n".getBytes(StandardCharsets.US_ASCII));
                    p.getOutputStream().flush();
                }
                List<Map<String, Long>> results = new ArrayList<>();
                for (int i = 0; i < PROCESSES; i++) {
                    Process p = processes.get(i);
                    String line;
                    try (BufferedReader out = outs.get(i)) {
                        line = out.readLine();
                    }
                    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("process finished").isTrue();
                    assertThat(p.exitValue()).as("exit code, see target/cold-start-it/").isZero();
                    assertThat(line).as("the process's result line").startsWith("admitted=");
                    results.add(parse(line));
                }
                long admitted = 0;
                long first = Long.MAX_VALUE;
                long last = Long.MIN_VALUE;
                for (Map<String, Long> r : results) {
                    admitted += r.get("admitted");
                    first = Math.min(first, r.get("first"));
                    last = Math.max(last, r.get("last"));
                }
                long spanMicros = last - first;
                long bound = R + B + Math.floorDiv(R * spanMicros, W_MICROS);
                System.out.printf("cold start: admitted %d, bound %d over %d µs; per process %s%n",
                        admitted, bound, spanMicros, results);
                assertThat(admitted).as("admitted by %d cold JVMs over %d µs", PROCESSES, spanMicros)
                        .isLessThanOrEqualTo(bound)
                        .isGreaterThanOrEqualTo(R + B); // a fresh key admits at least its capacity
            } finally {
                for (Process p : processes) {
                    p.destroyForcibly();
                }
            }
        }
    }

    private static Map<String, Long> parse(String line) throws IOException {
        Map<String, Long> out = new TreeMap<>();
        for (String field : line.trim().split(" ")) {
            int eq = field.indexOf('=');
            if (eq < 0) {
                throw new IOException("bad result line: " + line);
            }
            out.put(field.substring(0, eq), Long.parseLong(field.substring(eq + 1)));
        }
        return out;
    }
}
