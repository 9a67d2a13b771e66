package io.generalbots.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.testing.ManualTicker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ScalingMetricsTest {

    private final ManualTicker ticker = new ManualTicker();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private AutoScaler scaler(FakeManager manager, PushedMetricsSource source, int max) {
        ScalingSettings s = ScalingSettings.from(BotConfig.of(Map.of("scale-enabled", "true",
                "scale-max-instances", String.valueOf(max), "scale-cooldown-seconds", "300", "scale-check-interval", "30")));
        return AutoScaler.custom(s, manager, source).name("bot").ticker(ticker).clock(ticker.clock())
                .leaderElection(LeaderElection.alone()).build();
    }

    private static void report(PushedMetricsSource source, FakeManager m, InstanceMetrics metrics) {
        for (String id : m.instances.keySet()) {
            source.record(id, metrics);
        }
    }

    private double gauge(String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    private double counter(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    @Test
    void followsTheScalerToItsMaximum() {
        FakeManager manager = new FakeManager(2);
        PushedMetricsSource source = new PushedMetricsSource(Duration.ofSeconds(60), ticker);
        AutoScaler scaler = scaler(manager, source, 4);
        ScalingMetrics.of(scaler).bindTo(registry);
        assertThat(counter(ScalingMetrics.EVENTS, "scaler", "bot", "type", "scaled_up")).isZero();
        assertThat(counter(ScalingMetrics.ERRORS, "scaler", "bot", "operation", "launch")).isZero();

        report(source, manager, new InstanceMetrics(true, 140, 50, 1200, 250, 3));
        scaler.check();       // 2 -> 4 would be 2 x 140 / 70 = 4: the maximum
        // the gauge shows the count after the scale-up, not the 2 the check started from
        assertThat(gauge(ScalingMetrics.INSTANCES, "scaler", "bot")).isEqualTo(4);
        report(source, manager, InstanceMetrics.cpu(140));
        ticker.advance(Duration.ofSeconds(30));
        scaler.check();       // wants 8, may have 4

        assertThat(gauge(ScalingMetrics.INSTANCES, "scaler", "bot")).isEqualTo(4);
        assertThat(gauge(ScalingMetrics.MAX_INSTANCES, "scaler", "bot")).isEqualTo(4);
        assertThat(gauge(ScalingMetrics.MIN_INSTANCES, "scaler", "bot")).isEqualTo(1);
        assertThat(counter(ScalingMetrics.EVENTS, "scaler", "bot", "type", "scaled_up")).isEqualTo(1);
        assertThat(counter(ScalingMetrics.EVENTS, "scaler", "bot", "type", "max_instances_reached")).isEqualTo(1);
        // base units: CPU as a 0..1 ratio, per instance, tagged gb.instance (never instance)
        assertThat(gauge(ScalingMetrics.CPU, "scaler", "bot", "gb.instance", "bot-1")).isEqualTo(1.4);
        assertThat(registry.getMeters()).noneMatch(m -> m.getId().getTag("instance") != null);
    }

    @Test
    void loadIsPublishedInBaseUnits() {
        FakeManager manager = new FakeManager(1);
        PushedMetricsSource source = new PushedMetricsSource(Duration.ofSeconds(60), ticker);
        AutoScaler scaler = scaler(manager, source, 10);
        ScalingMetrics.of(scaler).bindTo(registry);
        report(source, manager, new InstanceMetrics(true, 35, 50, 1200, 250, 3));
        scaler.check();
        assertThat(gauge(ScalingMetrics.CPU, "gb.instance", "bot-1")).isEqualTo(0.35);
        assertThat(gauge(ScalingMetrics.MEMORY, "gb.instance", "bot-1")).isEqualTo(0.5);
        assertThat(gauge(ScalingMetrics.REQUESTS, "gb.instance", "bot-1")).isEqualTo(20);    // 1,200 per minute
        assertThat(gauge(ScalingMetrics.RESPONSE_TIME, "gb.instance", "bot-1")).isEqualTo(0.25);
        assertThat(registry.get(ScalingMetrics.RESPONSE_TIME).gauge().getId().getBaseUnit()).isEqualTo("seconds");
        assertThat(gauge(ScalingMetrics.QUEUE, "gb.instance", "bot-1")).isEqualTo(3);
    }

    @Test
    void failuresAreCountedByOperationAndGoneInstancesLeaveNoRow() {
        FakeManager manager = new FakeManager(2);
        PushedMetricsSource source = new PushedMetricsSource(Duration.ofSeconds(60), ticker);
        AutoScaler scaler = scaler(manager, source, 10);
        ScalingMetrics.of(scaler).bindTo(registry);
        report(source, manager, InstanceMetrics.cpu(140));
        manager.failLaunches = 1;
        scaler.check();
        assertThat(counter(ScalingMetrics.ERRORS, "scaler", "bot", "operation", "launch")).isEqualTo(1);
        manager.instances.remove("bot-2");
        source.forget("bot-2");
        ticker.advance(Duration.ofSeconds(30));
        scaler.check();
        assertThat(registry.find(ScalingMetrics.CPU).tag("gb.instance", "bot-2").gauge()).isNull();
        assertThat(registry.find(ScalingMetrics.CPU).tag("gb.instance", "bot-1").gauge()).isNotNull();
    }

    @Test
    void metricsKeysSwitchMetersOff() {
        AutoScaler scaler = scaler(new FakeManager(1), new PushedMetricsSource(Duration.ofSeconds(60), ticker), 10);
        ScalingMetrics.of(scaler).settings(MetricsSettings.from(BotConfig.of(Map.of(
                "metrics-container-count", "false", "metrics-load-distribution", "false",
                "metrics-scaling-events", "false")))).bindTo(registry);
        scaler.check();
        assertThat(registry.getMeters()).isEmpty();
    }
}
