package io.generalbots.benchmarks;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.generalbots.failover.health.HealthAggregator;
import io.generalbots.scaling.health.HealthCheck;
import io.generalbots.scaling.health.HealthCheckResult;
import io.generalbots.scaling.health.HealthReport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One round of four checks that take 50 ms each: our aggregator (parallel, each bounded by its
 * timeout) beside running them one after another as Spring Boot Actuator does (the anchor); and a
 * round where one check never returns, which our aggregator still answers within its 200 ms
 * timeout (the sequential anchor would hang, so it is not run). Also the cost of serving the
 * cached report, which is what {@code /api/health} does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class HealthBenchmark {

    static final HealthCheck SLOW = () -> {
        Thread.sleep(50);
        return HealthCheckResult.up();
    };

    HealthAggregator four;

    @Setup
    public void setUp() {
        four = HealthAggregator.custom().timeout(Duration.ofSeconds(1)).retries(0)
                .check("database", SLOW).check("cache", SLOW).check("vectordb", SLOW).check("llm", SLOW).build();
        four.refresh().join();
    }

    @TearDown
    public void tearDown() {
        four.close();
    }

    /** The anchor: the four checks one after another. */
    @Benchmark
    public int sequentialFourChecks() throws Exception {
        int ok = 0;
        for (int i = 0; i < 4; i++) {
            ok += SLOW.check().status() == HealthCheckResult.Status.UP ? 1 : 0;
        }
        return ok;
    }

    /** Ours: the four checks in parallel. */
    @Benchmark
    public HealthReport parallelFourChecks() {
        return four.refresh().join();
    }

    /** A fresh aggregator per call whose llm check never returns (its thread is interrupted at close). */
    @State(Scope.Thread)
    public static class Hung {
        HealthAggregator aggregator;

        @Setup(Level.Invocation)
        public void setUp() {
            aggregator = HealthAggregator.custom().timeout(Duration.ofMillis(200)).retries(0)
                    .check("database", SLOW).check("cache", SLOW).check("vectordb", SLOW)
                    .check("llm", () -> {
                        new CountDownLatch(1).await();
                        return HealthCheckResult.up();
                    }).build();
        }

        @TearDown(Level.Invocation)
        public void tearDown() {
            aggregator.close();
        }
    }

    /** Ours, one check hung: the first round ends at the 200 ms timeout, the others answered. */
    @Benchmark
    public HealthReport oneCheckNeverReturns(Hung hung) {
        HealthReport report = hung.aggregator.refresh().join();
        if (!"timeout".equals(report.checks().get("llm"))) {
            throw new IllegalStateException("expected the hung check to time out: " + report.toJson());
        }
        return report;
    }

    /** Serving /api/health: the cached report as JSON. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public String serveCachedReport() {
        return four.report().toJson();
    }
}
