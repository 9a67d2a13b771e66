package io.generalbots.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.autoscale.MetricsSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ScalingMetricsTest {

    @Test
    void countsEventsErrorsInstancesAndLoad() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ScalingMetrics metrics = new ScalingMetrics(registry, MetricsSettings.from(BotConfig.ofDefaults()), "bot", 10);
        Instant now = Instant.EPOCH;
        metrics.onEvent(new ScalingEvent.ScaledUp(now, "bot", 1, 1, 3, "scale-cpu-threshold", "r"));
        metrics.onEvent(new ScalingEvent.ScaledDown(now, "bot", 1, 3, 2, "scale-cpu-threshold", "r"));
        metrics.onEvent(new ScalingEvent.ScalingFailed(now, "bot", 1, "launch", null, "boom"));
        metrics.onCheck(2, Map.of("a", InstanceMetrics.cpu(40), "b", InstanceMetrics.cpu(60)));

        assertThat(registry.get("gb.scaling.events").tag("direction", "up").counter().count()).isEqualTo(1);
        assertThat(registry.get("gb.scaling.events").tag("direction", "down").counter().count()).isEqualTo(1);
        assertThat(registry.get("gb.scaling.errors").tag("operation", "launch").counter().count()).isEqualTo(1);
        assertThat(registry.get("gb.scaling.instances").gauge().value()).isEqualTo(2);
        assertThat(registry.get("gb.scaling.max.instances").gauge().value()).isEqualTo(10);
        assertThat(registry.get("gb.scaling.instance.cpu").tag("instance", "b").gauge().value()).isEqualTo(60);
    }

    @Test
    void metricsKeysSwitchMetersOff() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ScalingMetrics metrics = new ScalingMetrics(registry, MetricsSettings.from(BotConfig.of(Map.of(
                "metrics-container-count", "false", "metrics-load-distribution", "false",
                "metrics-scaling-events", "false"))), "bot", 10);
        metrics.onEvent(new ScalingEvent.ScaledUp(Instant.EPOCH, "bot", 1, 1, 3, "scale-cpu-threshold", "r"));
        metrics.onCheck(2, Map.of("a", InstanceMetrics.cpu(40)));
        assertThat(registry.getMeters()).isEmpty();
    }
}
