package io.generalbots.autoscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.autoscale.instance.Instance;
import io.generalbots.scaling.testing.ManualTicker;
import org.junit.jupiter.api.Test;

class PushedMetricsSourceTest {

    private final ManualTicker ticker = new ManualTicker();
    private final Instance a = new Instance("a", new HostAndPort("10.0.0.1", 8080), 1);
    private final Instance b = new Instance("b", new HostAndPort("10.0.0.2", 8080), 2);

    @Test
    void aStaleReportCountsAsMissing() {
        PushedMetricsSource source = new PushedMetricsSource(Duration.ofSeconds(60), ticker);
        source.record("a", InstanceMetrics.cpu(50));
        ticker.advance(Duration.ofSeconds(45));
        source.record("b", InstanceMetrics.cpu(60));
        assertThat(source.collect(List.of(a, b))).containsOnlyKeys("a", "b");
        ticker.advance(Duration.ofSeconds(30));
        assertThat(source.collect(List.of(a, b))).containsOnlyKeys("b");
        source.forget("b");
        assertThat(source.collect(List.of(a, b))).isEmpty();
    }

    @Test
    void aBadMaxAgeIsRejectedWithItsValue() {
        assertThatThrownBy(() -> new PushedMetricsSource(Duration.ZERO, ticker))
                .hasMessage("maxAge must be positive, but was PT0S");
    }

    @Test
    void startedScalersCheckOnTheirScheduler() throws Exception {
        FakeManager manager = new FakeManager(1);
        CountDownLatch checked = new CountDownLatch(2);
        MetricsSource source = list -> {
            checked.countDown();
            return java.util.Map.of();
        };
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (AutoScaler scaler = AutoScaler.custom(io.generalbots.autoscale.ScalingSettings.from(
                io.generalbots.scaling.config.BotConfig.of(java.util.Map.of("scale-enabled", "true",
                        "scale-check-interval", "1"))), manager, source).leaderElection(LeaderElection.alone()).build()) {
            scaler.start(scheduler);
            assertThatThrownBy(() -> scaler.start(scheduler)).hasMessage("scaler botserver is already started");
            assertThat(checked.await(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            scheduler.shutdownNow();
        }
        assertThat(manager.calls).isEmpty();
    }
}
