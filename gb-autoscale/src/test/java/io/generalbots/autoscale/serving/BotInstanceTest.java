package io.generalbots.autoscale.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigException;
import io.generalbots.scaling.health.HealthReport;
import io.generalbots.scaling.health.HealthStatus;
import io.generalbots.scaling.testing.Await;
import io.generalbots.scaling.testing.CapturedLog;
import io.generalbots.scaling.testing.ManualTicker;
import org.junit.jupiter.api.Test;

class BotInstanceTest {

    private static final String TOKEN = "s3cret-token-0123456789";
    private final ManualTicker ticker = new ManualTicker();
    private final List<InstanceEvent> events = new CopyOnWriteArrayList<>();

    private BotInstance instance(InstanceConfig.Builder b) {
        BotInstance i = BotInstance.of(b.name("bot-1").ticker(ticker).clock(ticker.clock()).build());
        i.addListener(events::add);
        return i;
    }

    @Test
    void theBodiesEveryAdapterAnswersWithFollowTheDrain() {
        BotInstance i = instance(InstanceConfig.custom().retryAfter(Duration.ofSeconds(7)));
        BotInstance.Ticket t = i.admit();
        assertThat(i.stateJson()).isEqualTo("{\"state\":\"serving\",\"inflight\":1}");
        assertThat(i.drain()).isTrue();
        assertThat(i.stateJson()).isEqualTo("{\"state\":\"draining\",\"inflight\":1}");
        assertThat(i.drainingJson()).isEqualTo("{\"error\":\"draining\",\"retry_after\":7}");
        t.end(200);
        assertThat(i.stateJson()).isEqualTo("{\"state\":\"drained\",\"inflight\":0}");
    }

    @Test
    void metersWhatItServes() {
        BotInstance i = instance(InstanceConfig.custom().queueDepth(() -> 4));
        BotInstance.Ticket a = i.admit();
        BotInstance.Ticket b = i.admit();
        assertThat(i.inFlight()).isEqualTo(2);
        ticker.advance(Duration.ofMillis(120));
        a.end(200);
        a.end(200);                                            // twice: no effect
        ticker.advance(Duration.ofMillis(80));
        b.end(502);
        assertThat(i.inFlight()).isZero();
        LoadSnapshot load = i.load();
        assertThat(load).isEqualTo(new LoadSnapshot(2, 1, 160.0, 212.991, 0, 4, DrainState.SERVING));
        assertThat(i.loadMetrics()).containsExactly(Map.entry("requests_per_min", 2L), Map.entry("errors_per_min", 1L),
                Map.entry("response_time_ms", 160.0), Map.entry("response_time_p95_ms", 212.991),
                Map.entry("inflight", 0L), Map.entry("queue_depth", 4L));
    }

    @Test
    void aRequestThatThrowsStillReleasesItsPlaceAndCountsAsAnError() {
        BotInstance i = instance(InstanceConfig.custom());
        assertThatThrownBy(() -> {
            try (BotInstance.Ticket t = i.admit()) {
                assertThat(i.inFlight()).isEqualTo(1);
                throw new IllegalStateException("handler failed");
            }
        }).hasMessage("handler failed");
        assertThat(i.inFlight()).isZero();
        assertThat(i.load().errorsPerMinute()).isEqualTo(1);
        try (BotInstance.Ticket t = i.admit()) {
            t.end(200);
        }
        assertThat(i.load().requestsPerMinute()).isEqualTo(2);
        assertThat(i.load().errorsPerMinute()).isEqualTo(1);
    }

    @Test
    void drainRefusesNewRequestsAndWaitsForTheOnesInFlight() throws Exception {
        BotInstance i = instance(InstanceConfig.custom().drainTimeout(Duration.ofSeconds(30)));
        BotInstance.Ticket inFlight = i.admit();
        assertThat(i.drain()).isTrue();
        assertThat(i.drain()).isFalse();
        assertThat(i.state()).isEqualTo(DrainState.DRAINING);
        assertThat(i.isDraining()).isTrue();
        assertThat(i.admit()).isNull();
        assertThat(i.inFlight()).isEqualTo(1);
        assertThat(i.awaitDrained(Duration.ZERO)).isFalse();
        ticker.advance(Duration.ofSeconds(2));
        inFlight.end(200);
        assertThat(i.state()).isEqualTo(DrainState.DRAINED);
        assertThat(i.awaitDrained(Duration.ZERO)).isTrue();
        assertThat(i.admit()).isNull();
        assertThat(events).containsExactly(
                new InstanceEvent.DrainStarted(ticker.clock().instant().minusSeconds(2), "bot-1", 1),
                new InstanceEvent.Drained(ticker.clock().instant(), "bot-1", Duration.ofSeconds(2)));
        assertThat(i.load().requestsPerMinute()).isEqualTo(1);
    }

    @Test
    void anIdleInstanceIsDrainedAtOnce() {
        BotInstance i = instance(InstanceConfig.custom());
        i.drain();
        assertThat(i.state()).isEqualTo(DrainState.DRAINED);
        assertThat(events).hasSize(2).last().isInstanceOf(InstanceEvent.Drained.class);
    }

    @Test
    void awaitDrainedGivesUpWhenTheTickerPassesTheDeadline() throws Exception {
        BotInstance i = instance(InstanceConfig.custom().drainTimeout(Duration.ofSeconds(30)));
        BotInstance.Ticket stuck = i.admit();
        CompletableFuture<Boolean> done = CompletableFuture.supplyAsync(() -> {
            try {
                return i.drainAndAwait();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Await.until("the drain began", Duration.ofSeconds(10), () -> i.state() == DrainState.DRAINING);
        assertThat(done).isNotDone();
        ticker.advance(Duration.ofSeconds(30));
        assertThat(done.get(10, TimeUnit.SECONDS)).isFalse();
        stuck.end(200);
        assertThat(i.state()).isEqualTo(DrainState.DRAINED);
    }

    @Test
    void aListenerThatThrowsNeverBreaksTheInstanceNorKeepsTheOthersFromTheEvent() {
        BotInstance i = BotInstance.of(InstanceConfig.custom().name("bot-1").ticker(ticker).clock(ticker.clock()).build());
        i.addListener(new InstanceListener() {
            @Override
            public void onEvent(InstanceEvent event) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public String toString() {
                return "Throwing";
            }
        });
        i.addListener(events::add);
        try (CapturedLog log = CapturedLog.open()) {
            BotInstance.Ticket t = i.admit();
            assertThat(i.drain()).isTrue();
            t.end(200);
            assertThat(i.state()).isEqualTo(DrainState.DRAINED);
            assertThat(i.inFlight()).isZero();
            assertThat(events).hasSize(2);
            assertThat(log.linesContaining("WARN io.generalbots.scaling.event.EventPublisher - instance bot-1: "
                    + "listener Throwing failed on ")).hasSize(2);
        }
    }

    @Test
    void aRemovedListenerHearsNothingMore() {
        BotInstance i = BotInstance.of(InstanceConfig.custom().name("bot-1").ticker(ticker).clock(ticker.clock()).build());
        InstanceListener listener = events::add;
        i.addListener(listener);
        assertThat(i.removeListener(listener)).isTrue();
        assertThat(i.removeListener(listener)).isFalse();
        i.drain();
        assertThat(events).isEmpty();
    }

    @Test
    void awaitDrainedWakesWhenTheLastRequestEndsOnAnotherThread() throws Exception {
        BotInstance i = instance(InstanceConfig.custom());
        BotInstance.Ticket t = i.admit();
        i.drain();
        CompletableFuture<Boolean> done = CompletableFuture.supplyAsync(() -> {
            try {
                return i.awaitDrained(Duration.ofSeconds(30));   // the manual ticker never gets there
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        t.end(200);
        assertThat(done.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(i.awaitDrained(Duration.ZERO)).as("drained already").isTrue();
    }

    @Test
    void reportsDrainingInTheHealthReport() {
        BotInstance i = instance(InstanceConfig.custom());
        HealthReport base = new HealthReport(HealthStatus.HEALTHY, "6.1.0", 1, Map.of(), HealthReport.Metrics.NONE);
        assertThat(base.withInstance(i).status()).isEqualTo(HealthStatus.HEALTHY);
        i.drain();
        HealthReport report = base.withInstance(i);
        assertThat(report.status()).isEqualTo(HealthStatus.DRAINING);
        assertThat(report.toJson()).isEqualTo("{\"status\":\"draining\",\"version\":\"6.1.0\",\"uptime\":1,"
                + "\"checks\":{},\"metrics\":{\"cpu\":0.0,\"memory\":0.0,\"connections\":0,\"requests_per_min\":0,"
                + "\"errors_per_min\":0,\"inflight\":0}}");
    }

    @Test
    void withoutATokenOnlyDirectLoopbackCallersMayControl() throws Exception {
        BotInstance i = instance(InstanceConfig.custom());
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        assertThat(i.mayControl(loopback, h -> null)).isTrue();
        assertThat(i.mayControl(InetAddress.getByName("::1"), h -> null)).isTrue();
        assertThat(i.mayControl(InetAddress.getByName("192.0.2.7"), h -> null)).isFalse();
        assertThat(i.mayControl(loopback, h -> h.equals("X-Forwarded-For") ? "203.0.113.9" : null)).isFalse();
        assertThat(i.mayControl(null, h -> null)).isFalse();
        assertThat(events).containsExactly(
                new InstanceEvent.ControlRefused(ticker.clock().instant(), "bot-1", "192.0.2.7",
                        "not loopback and no scale-control-token configured"),
                new InstanceEvent.ControlRefused(ticker.clock().instant(), "bot-1", "127.0.0.1",
                        "came through a proxy (X-Forwarded-For) and no scale-control-token configured"),
                new InstanceEvent.ControlRefused(ticker.clock().instant(), "bot-1", "unknown",
                        "not loopback and no scale-control-token configured"));
    }

    @Test
    void withATokenEveryCallerNeedsIt() throws Exception {
        BotInstance i = instance(InstanceConfig.custom().controlToken(TOKEN));
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        InetAddress remote = InetAddress.getByName("192.0.2.7");
        assertThat(i.mayControl(remote, h -> h.equals("Authorization") ? "Bearer " + TOKEN : null)).isTrue();
        assertThat(i.mayControl(remote, h -> h.equals("Authorization") ? "bearer " + TOKEN : null)).isTrue();
        assertThat(i.mayControl(loopback, h -> null)).isFalse();
        assertThat(i.mayControl(remote, h -> h.equals("Authorization") ? "Bearer " + TOKEN + "x" : null)).isFalse();
        assertThat(i.mayControl(remote, h -> h.equals("Authorization") ? TOKEN : null)).isFalse();
        assertThat(events).extracting(e -> ((InstanceEvent.ControlRefused) e).reason())
                .containsExactly("no bearer token", "wrong token", "no bearer token");
        assertThat(i.config().toString()).contains("controlToken=****").doesNotContain(TOKEN);
    }

    @Test
    void settingsComeFromConfigCsv() {
        InstanceSettings s = InstanceSettings.from(BotConfig.parse("config.csv",
                "scale-drain-seconds,45\nscale-control-token," + TOKEN + "\n"));
        assertThat(s.drainTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(s.controlToken()).contains(TOKEN);
        assertThat(s.toString()).doesNotContain(TOKEN);
        InstanceConfig c = InstanceConfig.from(s).build();
        assertThat(c.drainTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(c.controlToken()).contains(TOKEN);
        assertThat(InstanceSettings.from(BotConfig.parse("config.csv", "scale-control-token,env:GB_TOKEN\n"),
                Map.of("GB_TOKEN", TOKEN)::get).controlToken()).contains(TOKEN);
        InstanceSettings defaults = InstanceSettings.ofDefaults();
        assertThat(defaults.drainTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.controlToken()).isEmpty();
    }

    @Test
    void aBadTokenIsNamedWithoutShowingIt() {
        assertThatThrownBy(() -> InstanceSettings.from(BotConfig.parse("config.csv",
                "bot-name,x\nscale-control-token,short\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config.csv:2: scale-control-token must be 16 to 512 characters of letters, "
                        + "digits and -._~+/=, but was 5 characters")
                .hasMessageNotContaining("short\"");
        assertThatThrownBy(() -> InstanceSettings.from(BotConfig.parse("config.csv",
                "scale-control-token,has space in it 0123\n")))
                .hasMessageContaining("config.csv:1: scale-control-token must be 16 to 512 characters of letters, "
                        + "digits and -._~+/=, but was a token with a character out of that set at position 4");
        assertThatThrownBy(() -> InstanceSettings.from(BotConfig.parse("config.csv",
                "scale-control-token,env:GB_TOKEN\n"), v -> null))
                .hasMessageContaining("config.csv:1: scale-control-token names environment variable GB_TOKEN, "
                        + "which is not set");
        assertThatThrownBy(() -> InstanceConfig.custom().controlToken("tiny"))
                .hasMessage("controlToken must be 16 to 512 characters of letters, digits and -._~+/=, but was 4 characters");
        assertThatThrownBy(() -> InstanceConfig.custom().meterWindow(Duration.ofSeconds(61)))
                .hasMessage("meterWindow must be whole seconds from 1 to 60, but was PT1M1S");
        assertThatThrownBy(() -> InstanceConfig.custom().retryAfter(Duration.ofMillis(1500)))
                .hasMessage("retryAfter must be whole seconds from 1 to 3600, but was PT1.5S");
        assertThatThrownBy(() -> InstanceConfig.custom().controlPath("/api/instance/"))
                .hasMessage("controlPath must be a path starting with / and not ending with one, but was /api/instance/");
    }

    @Test
    void aQueueDepthSupplierThatThrowsLeavesTheFieldOut() {
        BotInstance i = instance(InstanceConfig.custom().queueDepth(() -> {
            throw new IllegalStateException("queue gone");
        }));
        assertThat(i.loadMetrics()).doesNotContainKey("queue_depth").containsKey("inflight");
    }
}
