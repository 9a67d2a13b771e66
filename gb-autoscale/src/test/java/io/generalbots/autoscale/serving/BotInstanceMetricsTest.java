package io.generalbots.autoscale.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.generalbots.scaling.testing.ManualTicker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class BotInstanceMetricsTest {

    @Test
    void gaugesReadTheInstance() {
        ManualTicker ticker = new ManualTicker();
        BotInstance instance = BotInstance.of(InstanceConfig.custom().name("bot-1").ticker(ticker)
                .queueDepth(() -> 7).build());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new BotInstanceMetrics(instance).bindTo(registry);
        assertThat(registry.get("gb.instance.response.time").tag("stat", "avg").gauge().value()).isNaN();
        BotInstance.Ticket t = instance.admit();
        assertThat(registry.get("gb.instance.inflight").tag("instance", "bot-1").gauge().value()).isEqualTo(1);
        ticker.advance(Duration.ofMillis(40));
        t.end(503);
        assertThat(registry.get("gb.instance.requests").gauge().value()).isEqualTo(1);
        assertThat(registry.get("gb.instance.errors").gauge().value()).isEqualTo(1);
        assertThat(registry.get("gb.instance.response.time").tag("stat", "avg").gauge().value()).isEqualTo(40.0);
        assertThat(registry.get("gb.instance.response.time").tag("stat", "p95").gauge().value()).isBetween(40.0, 45.0);
        assertThat(registry.get("gb.instance.queue.depth").gauge().value()).isEqualTo(7);
        assertThat(registry.get("gb.instance.draining").gauge().value()).isZero();
        instance.drain();
        assertThat(registry.get("gb.instance.draining").gauge().value()).isEqualTo(1);
    }
}
