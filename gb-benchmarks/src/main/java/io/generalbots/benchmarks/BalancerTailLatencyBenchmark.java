package io.generalbots.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.generalbots.balance.LoadBalancerConfig;
import io.generalbots.balance.LoadBalancingPolicy;

/**
 * Tail latency of the policies against three upstreams where one is 20× slower, or answers fast
 * errors, on simulated time ({@link BalancerTailLatencySimulation}): the figures are the secondary
 * results {@code p99Micros} (latency until a good answer, retries included) and
 * {@code badSharePermille} (first tries sent to the bad upstream, in ‰). The primary score is only
 * the simulation's run time. One measured run of 200,000 requests per policy, same arrivals.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
public class BalancerTailLatencyBenchmark {

    @Param({"SLOW_20X", "FAST_ERRORS"})
    public String fault;

    @Param({"round_robin", "least_conn", "peak_ewma"})
    public String policy;

    /** The figures JMH prints as secondary results. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Figures {
        public long p99Micros;
        public long badSharePermille;

        @Setup(Level.Iteration)
        public void clear() {
            p99Micros = 0;
            badSharePermille = 0;
        }
    }

    @Benchmark
    public void simulate(Figures figures) {
        LoadBalancingPolicy p = switch (policy) {
            case "round_robin" -> LoadBalancingPolicy.roundRobin();
            case "least_conn" -> LoadBalancingPolicy.leastConn();
            case "peak_ewma" -> LoadBalancingPolicy.peakEwma();
            default -> throw new IllegalArgumentException(policy);
        };
        BalancerTailLatencySimulation.Result r = BalancerTailLatencySimulation.run(policy,
                LoadBalancerConfig.custom().policy(p).errorPenalty(Duration.ofSeconds(5)).build(),
                BalancerTailLatencySimulation.Fault.valueOf(fault), 3, 200_000, 7);
        figures.p99Micros = Math.round(r.p99Millis() * 1000);
        figures.badSharePermille = Math.round(1000 * Math.max(r.errorShare(), r.slowShare()));
    }
}
