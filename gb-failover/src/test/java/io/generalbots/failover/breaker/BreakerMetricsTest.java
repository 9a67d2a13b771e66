package io.generalbots.failover.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.generalbots.scaling.testing.ManualTicker;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

class BreakerMetricsTest {

    private final ManualTicker ticker = new ManualTicker();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private BreakerRegistry breakers;
    private Breaker llm;

    @BeforeEach
    void setUp() {
        breakers = BreakerRegistry.of(BreakerConfig.custom().failureThreshold(3).waitInOpen(Duration.ofSeconds(30))
                .halfOpenCalls(2).ticker(ticker)
                .ignoreException(e -> e instanceof IllegalArgumentException)
                .recordException(e -> !(e instanceof UnsupportedOperationException)).build());
        llm = breakers.breaker("llm");
        BreakerMetrics.of(breakers).bindTo(meters);
    }

    private void call(Duration took, RuntimeException error) {
        Supplier<String> s = () -> {
            ticker.advance(took);
            if (error != null) {
                throw error;
            }
            return "ok";
        };
        if (error == null) {
            llm.get(s);
        } else {
            assertThatThrownBy(() -> llm.get(s)).isSameAs(error);
        }
    }

    private double gauge(String name, String... tags) {
        return meters.get(name).tags(tags).gauge().value();
    }

    @Test
    void callsAreTimedByKindAsResilience4jClassifiesThem() {
        call(Duration.ofMillis(100), null);
        call(Duration.ofMillis(200), new IllegalStateException("recorded: a failure"));
        call(Duration.ofMillis(300), new IllegalArgumentException("ignored"));
        call(Duration.ofMillis(400), new UnsupportedOperationException("not recorded: a success"));

        var successful = meters.get(BreakerMetrics.CALLS).tags("name", "llm", "kind", "successful").timer();
        assertThat(successful.count()).isEqualTo(2);
        assertThat(successful.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(500);
        var failed = meters.get(BreakerMetrics.CALLS).tags("name", "llm", "kind", "failed").timer();
        assertThat(failed.count()).isEqualTo(1);
        assertThat(failed.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(200);
        var ignored = meters.get(BreakerMetrics.CALLS).tags("name", "llm", "kind", "ignored").timer();
        assertThat(ignored.count()).isEqualTo(1);
        assertThat(ignored.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(300);
        // Resilience4j's own window agrees: two successes, one failure, the ignored call left out
        assertThat(gauge(BreakerMetrics.BUFFERED_CALLS, "name", "llm", "kind", "successful")).isEqualTo(2);
        assertThat(gauge(BreakerMetrics.BUFFERED_CALLS, "name", "llm", "kind", "failed")).isEqualTo(1);
        assertThat(gauge(BreakerMetrics.FAILURE_RATE, "name", "llm")).isEqualTo(100.0 / 3, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void stateGaugesRejectionsAndTransitionsFollowTheBreaker() {
        assertThat(gauge(BreakerMetrics.STATE, "name", "llm", "state", "closed")).isEqualTo(1);
        assertThat(gauge(BreakerMetrics.STATE, "name", "llm", "state", "open")).isEqualTo(0);
        for (int i = 0; i < 3; i++) {
            call(Duration.ofMillis(10), new IllegalStateException("down"));
        }
        assertThat(gauge(BreakerMetrics.STATE, "name", "llm", "state", "open")).isEqualTo(1);
        assertThat(gauge(BreakerMetrics.STATE, "name", "llm", "state", "closed")).isEqualTo(0);
        assertThatThrownBy(() -> llm.get(() -> "never")).isInstanceOf(BreakerOpenException.class);
        assertThatThrownBy(() -> llm.get(() -> "never")).isInstanceOf(BreakerOpenException.class);
        assertThat(meters.get(BreakerMetrics.NOT_PERMITTED_CALLS).tags("name", "llm", "kind", "not_permitted")
                .counter().count()).isEqualTo(2);
        assertThat(meters.get(BreakerMetrics.TRANSITIONS).tags("name", "llm", "from", "closed", "to", "open")
                .counter().count()).isEqualTo(1);
        ticker.advance(Duration.ofSeconds(31));
        call(Duration.ofMillis(10), null);
        assertThat(gauge(BreakerMetrics.STATE, "name", "llm", "state", "half_open")).isEqualTo(1);
    }

    @Test
    void breakersCreatedAfterBindingGetTheirMeters() {
        Breaker later = breakers.breaker("vectordb");
        later.get(() -> "ok");
        assertThat(gauge(BreakerMetrics.STATE, "name", "vectordb", "state", "closed")).isEqualTo(1);
        assertThat(meters.get(BreakerMetrics.CALLS).tags("name", "vectordb", "kind", "successful").timer().count())
                .isEqualTo(1);
    }

    @Test
    void namesAndTagsAreResilience4jMicrometersInPrometheus() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        BreakerMetrics.of(breakers).bindTo(prometheus);
        llm.get(() -> "ok");
        String scrape = prometheus.scrape();
        assertThat(scrape).contains(
                "resilience4j_circuitbreaker_state{name=\"llm\",state=\"half_open\"} 0",
                "resilience4j_circuitbreaker_state{name=\"llm\",state=\"closed\"} 1",
                "resilience4j_circuitbreaker_calls_seconds_count{kind=\"successful\",name=\"llm\"} 1",
                "resilience4j_circuitbreaker_calls_seconds_sum{kind=\"failed\",name=\"llm\"} 0",
                "resilience4j_circuitbreaker_not_permitted_calls_total{kind=\"not_permitted\",name=\"llm\"} 0",
                "resilience4j_circuitbreaker_buffered_calls{kind=\"successful\",name=\"llm\"} 1",
                "resilience4j_circuitbreaker_slow_calls{kind=\"failed\",name=\"llm\"} 0",
                "resilience4j_circuitbreaker_failure_rate{name=\"llm\"} -1",
                "resilience4j_circuitbreaker_slow_call_rate{name=\"llm\"} -1");
        // one breaker: 6 states, 2 buffered, 2 slow, 2 rates, 3 call timers, 1 counter, 4 transitions
        List<Meter> ofLlm = prometheus.getMeters().stream().filter(m -> "llm".equals(m.getId().getTag("name"))).toList();
        assertThat(ofLlm).hasSize(20);
        assertThat(scrape).contains("gb_circuit_breaker_transitions_total{from=\"closed\",name=\"llm\",to=\"open\"} 0");
    }

    /**
     * Binding meters adds no allocation to a call: the bytes a call allocates (measured on this
     * thread over many calls, JIT-compiled) are the same with and without meters, in both the
     * simple and the Prometheus registry.
     */
    @Test
    void aMeteredCallAllocatesNoMoreThanAPlainOne() {
        BreakerRegistry plainRegistry = BreakerRegistry.of(BreakerConfig.custom().failureThreshold(3).build());
        Breaker plain = plainRegistry.breaker("plain");
        BreakerRegistry simpleRegistry = BreakerRegistry.of(BreakerConfig.custom().failureThreshold(3).build());
        BreakerMetrics.of(simpleRegistry).bindTo(new SimpleMeterRegistry());
        Breaker simple = simpleRegistry.breaker("simple");
        BreakerRegistry promRegistry = BreakerRegistry.of(BreakerConfig.custom().failureThreshold(3).build());
        MeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        BreakerMetrics.of(promRegistry).bindTo(prometheus);
        Breaker prom = promRegistry.breaker("prom");
        Supplier<String> work = () -> "ok";

        long calls = 200_000;
        long plainBytes = Long.MAX_VALUE;
        long simpleBytes = Long.MAX_VALUE;
        long promBytes = Long.MAX_VALUE;
        // the least of several rounds: the first ones run before the JIT has compiled the path
        for (int round = 0; round < 8; round++) {
            plainBytes = Math.min(plainBytes, allocated(plain, work, calls));
            simpleBytes = Math.min(simpleBytes, allocated(simple, work, calls));
            promBytes = Math.min(promBytes, allocated(prom, work, calls));
        }
        assertThat(prometheus.get(BreakerMetrics.CALLS).tags("name", "prom", "kind", "successful").timer().count())
                .isEqualTo(8 * calls);
        // under a tenth of a byte per call more than the plain breaker (an object would be 16+)
        assertThat(simpleBytes - plainBytes).as("simple registry: bytes over %d calls", calls).isLessThan(calls / 10);
        assertThat(promBytes - plainBytes).as("Prometheus registry: bytes over %d calls", calls).isLessThan(calls / 10);
    }

    private static long allocated(Breaker breaker, Supplier<String> work, long calls) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (long i = 0; i < calls; i++) {
            breaker.get(work);
        }
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void anErrorOfTheCallIsStillThrownAndCounted() {
        IOException cause = new IOException("down");
        assertThatThrownBy(() -> llm.call(() -> {
            throw cause;
        })).isSameAs(cause);
        assertThat(meters.get(BreakerMetrics.CALLS).tags("name", "llm", "kind", "failed").timer().count()).isEqualTo(1);
    }
}
