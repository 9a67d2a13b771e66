package io.generalbots.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.generalbots.failover.breaker.Breaker;
import io.generalbots.failover.breaker.BreakerConfig;
import io.generalbots.failover.breaker.BreakerRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A call through gb-failover's {@link Breaker} (with an event listener and meters-ready
 * registry, as an application runs it) beside the same call through a plain Resilience4j
 * {@link CircuitBreaker} with the same configuration (the anchor, {@code executeSupplier}), and
 * the bare call. Both breakers are closed and every call succeeds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BreakerBenchmark {

    Breaker ours;
    CircuitBreaker plain;
    Supplier<Long> work;
    long seed = 42;

    @Setup
    public void setUp() {
        BreakerRegistry registry = BreakerRegistry.of(BreakerConfig.ofDefaults());
        registry.addListener(event -> { });
        ours = registry.breaker("llm");
        plain = CircuitBreaker.of("llm", BreakerConfig.ofDefaults().toResilience4j());
        work = () -> {
            Blackhole.consumeCPU(25);
            return seed;
        };
    }

    /** The call alone. */
    @Benchmark
    public Long bareCall() {
        return work.get();
    }

    /** The anchor: Resilience4j's own decoration. */
    @Benchmark
    public Long plainResilience4j() {
        return plain.executeSupplier(work);
    }

    /** Ours. */
    @Benchmark
    public Long gbBreaker() {
        return ours.get(work);
    }
}
