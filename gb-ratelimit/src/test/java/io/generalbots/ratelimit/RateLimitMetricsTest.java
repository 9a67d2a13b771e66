package io.generalbots.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.generalbots.scaling.testing.ManualTicker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

class RateLimitMetricsTest {

    private final ManualTicker ticker = new ManualTicker();
    private final RateLimitConfig config = RateLimitConfig.custom().requests(2).window(Duration.ofMinutes(1)).burst(0)
            .endpoint("chat", 1).endpoint("auth", 5).build();

    private double decisions(SimpleMeterRegistry meters, String policy, String outcome) {
        return meters.get(RateLimitMetrics.DECISIONS).tags("limiter", "api", "source", "local", "policy", policy,
                "outcome", outcome).counter().count();
    }

    @Test
    void decisionsAreCountedByPolicyAndOutcomeOnEveryPath() {
        LocalRateLimiter limiter = LocalRateLimiter.custom(config).name("api").ticker(ticker).build();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RateLimitMetrics.of(limiter).bindTo(meters);

        assertThat(limiter.decide("alice", "chat").allowed()).isTrue();
        assertThat(limiter.tryAcquire("alice", "chat")).isFalse();      // chat allows 1 per minute
        assertThat(limiter.tryAcquire("alice", null)).isTrue();         // global allows 2
        assertThat(limiter.decideAsync("alice", null).toCompletableFuture().join().allowed()).isFalse();
        assertThat(limiter.decide("bob", "unknown-endpoint").allowed()).isTrue(); // only the global limit

        assertThat(decisions(meters, "chat", "allowed")).isEqualTo(1);
        assertThat(decisions(meters, "chat", "denied")).isEqualTo(1);
        assertThat(decisions(meters, "global", "allowed")).isEqualTo(2);
        assertThat(decisions(meters, "global", "denied")).isEqualTo(1);
        assertThat(decisions(meters, "auth", "allowed")).isZero();
        assertThat(meters.get(RateLimitMetrics.FALLBACK_ACTIVE).tag("limiter", "api").gauge().value()).isZero();
    }

    @Test
    void aThousandClientKeysMakeNoMoreMetersThanOne() {
        LocalRateLimiter limiter = LocalRateLimiter.custom(config).name("api").ticker(ticker).build();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RateLimitMetrics.of(limiter).bindTo(meters);
        int before = meters.getMeters().size();
        // 3 policies x 2 outcomes for the one source, and the fallback gauge
        assertThat(before).isEqualTo(7);
        for (int i = 0; i < 1_000; i++) {
            limiter.decide("client-" + i, i % 2 == 0 ? "chat" : null);
            limiter.tryAcquire("10.0." + (i / 256) + "." + (i % 256), "auth");
        }
        assertThat(meters.getMeters()).hasSize(before);
        assertThat(decisions(meters, "chat", "allowed") + decisions(meters, "global", "allowed")
                + decisions(meters, "auth", "allowed")).isEqualTo(2_000);
    }

    @Test
    void prometheusNamesAreCountersWithoutUnitsAndNoTargetLabels() {
        LocalRateLimiter limiter = LocalRateLimiter.custom(config).name("api").ticker(ticker).build();
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RateLimitMetrics.of(limiter).bindTo(prometheus);
        limiter.decide("alice", "chat");
        String scrape = prometheus.scrape();
        assertThat(scrape).contains(
                "gb_ratelimit_decisions_total{limiter=\"api\",outcome=\"allowed\",policy=\"chat\",source=\"local\"} 1.0",
                "gb_ratelimit_fallback_active{limiter=\"api\"} 0");
        assertThat(scrape).doesNotContain("instance=").doesNotContain("job=").doesNotContain("alice");
    }

    @Test
    void aDisabledLimiterGetsNoMeters() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RateLimitMetrics.of(RateLimiter.disabled()).bindTo(meters);
        assertThat(meters.getMeters()).isEmpty();
    }
}
