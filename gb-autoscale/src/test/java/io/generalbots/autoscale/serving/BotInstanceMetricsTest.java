package io.generalbots.autoscale.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.generalbots.scaling.testing.ManualTicker;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class BotInstanceMetricsTest {

    private final ManualTicker ticker = new ManualTicker();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private BotInstance instance(InstanceConfig.Builder b) {
        BotInstance i = BotInstance.of(b.name("bot-1").ticker(ticker).clock(ticker.clock()).build());
        BotInstanceMetrics.of(i).serviceLevelObjectives(Duration.ofMillis(100), Duration.ofSeconds(2)).bindTo(registry);
        return i;
    }

    private Timer requests(String outcome) {
        return registry.get(BotInstanceMetrics.REQUESTS).tags("gb.instance", "bot-1", "outcome", outcome).timer();
    }

    @Test
    void requestsAreTimedByOutcomeAndInFlightFollows() {
        BotInstance i = instance(InstanceConfig.custom().queueDepth(() -> 4));
        BotInstance.Ticket a = i.admit();
        BotInstance.Ticket b = i.admit();
        assertThat(registry.get(BotInstanceMetrics.IN_FLIGHT).gauge().value()).isEqualTo(2);
        ticker.advance(Duration.ofMillis(120));
        a.end(200);
        ticker.advance(Duration.ofMillis(80));
        b.end(502);
        assertThat(requests("success").count()).isEqualTo(1);
        assertThat(requests("success").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(120);
        assertThat(requests("error").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(200);
        // the 120 ms request is over the 100 ms bucket, within the 2 s one
        assertThat(requests("success").takeSnapshot().histogramCounts()).extracting(c -> (long) c.count())
                .containsExactly(0L, 1L);
        assertThat(registry.get(BotInstanceMetrics.IN_FLIGHT).gauge().value()).isZero();
        assertThat(registry.get(BotInstanceMetrics.QUEUE).gauge().value()).isEqualTo(4);
    }

    @Test
    void theDrainShowsInTheStateGaugesAndItsTimer() {
        BotInstance i = instance(InstanceConfig.custom());
        assertThat(registry.find(BotInstanceMetrics.QUEUE).gauge()).isNull();   // no supplier, no gauge
        assertThat(registry.get(BotInstanceMetrics.STATE).tag("state", "serving").gauge().value()).isEqualTo(1);
        BotInstance.Ticket t = i.admit();
        i.drain();
        assertThat(registry.get(BotInstanceMetrics.STATE).tag("state", "draining").gauge().value()).isEqualTo(1);
        assertThat(registry.get(BotInstanceMetrics.STATE).tag("state", "serving").gauge().value()).isZero();
        ticker.advance(Duration.ofSeconds(3));
        t.end(200);
        assertThat(registry.get(BotInstanceMetrics.STATE).tag("state", "drained").gauge().value()).isEqualTo(1);
        assertThat(registry.get(BotInstanceMetrics.DRAIN).timer().totalTime(TimeUnit.SECONDS)).isEqualTo(3);
    }

    @Test
    void aThousandRequestsMakeNoNewMeters() {
        BotInstance i = instance(InstanceConfig.custom());
        int before = registry.getMeters().size();
        for (int n = 0; n < 1_000; n++) {
            i.admit().end(n % 10 == 0 ? 503 : 200);
        }
        assertThat(registry.getMeters()).hasSize(before);
        assertThat(requests("error").count()).isEqualTo(100);
    }
}
