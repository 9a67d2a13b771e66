package io.generalbots.autoscale.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.generalbots.autoscale.AutoScaler;
import io.generalbots.autoscale.HealthEndpointMetricsSource;
import io.generalbots.autoscale.LeaderElection;
import io.generalbots.autoscale.ScalingEvent;
import io.generalbots.autoscale.ScalingSettings;
import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.scaling.testing.Await;
import io.generalbots.scaling.testing.ManualTicker;
import io.generalbots.autoscale.testing.TestBotServer;
import org.junit.jupiter.api.Test;

/**
 * End to end with real OS processes: a load burst makes the engine launch instances up to the
 * maximum; once the load stops it takes them out of the upstreams, drains them through their
 * control endpoint and stops them. The workers are {@link TestBotServer}s (the library's
 * {@code BotInstance} on the JDK server) whose simulated CPU is their requests per minute over a
 * 10-second meter window against a capacity of 300/min. The engine's time is a manual ticker moved
 * 30 s per check; processes and HTTP are real.
 */
class LocalProcessScalingIT {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void loadScalesRealProcessesUpAndBackDown() throws Exception {
        ManualTicker ticker = new ManualTicker();
        ScalingSettings settings = ScalingSettings.from(BotConfig.of(Map.of("scale-enabled", "true",
                "scale-min-instances", "1", "scale-max-instances", "3", "scale-cooldown-seconds", "60",
                "scale-down-stabilization-seconds", "60", "scale-drain-seconds", "30")));
        Path logs = Files.createDirectories(Path.of("target", "local-process-it"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx32m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), TestBotServer.class.getName(), "{port}", "--capacity", "300",
                "--window-seconds", "10");
        List<ScalingEvent> events = new CopyOnWriteArrayList<>();
        List<List<HostAndPort>> upstreamUpdates = new CopyOnWriteArrayList<>();
        try (LocalProcessInstanceManager manager = new LocalProcessInstanceManager(command,
                InstanceControlClient.of(Duration.ofSeconds(5)), logs, ticker)) {
            List<HostAndPort> upstreams = new ArrayList<>(List.of(manager.launch().address()));
            AutoScaler scaler = AutoScaler.custom(settings, manager,
                            new HealthEndpointMetricsSource(http, "/api/health", Duration.ofSeconds(5)))
                    .name("e2e").ticker(ticker).clock(ticker.clock()).listener(events::add)
                    .leaderElection(LeaderElection.alone())
                    .upstreamsListener(list -> {
                        upstreamUpdates.add(list);
                        upstreams.clear();
                        upstreams.addAll(list);
                    }).build();

            for (int round = 0; round < 8 && manager.list().size() < 3; round++) {
                awaitAllUp(manager);
                load(upstreams, 120);
                scaler.check();
                ticker.advance(Duration.ofSeconds(30));
            }
            assertThat(manager.list()).hasSize(3);
            assertThat(events).filteredOn(e -> e instanceof ScalingEvent.ScaledUp).isNotEmpty();
            awaitAllUp(manager);
            load(upstreams, 120);
            scaler.check();
            assertThat(events).anyMatch(e -> e instanceof ScalingEvent.MaxInstancesReached);

            List<Instance> before = manager.list();
            Thread.sleep(10_100);                                    // the 10 s meter window empties
            for (int round = 0; round < 10 && manager.list().size() > 1; round++) {
                ticker.advance(Duration.ofSeconds(30));
                scaler.check();
            }
            assertThat(manager.list()).hasSize(1);
            assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(ScalingEvent.ScaledDown.class,
                    d -> assertThat(d.to()).isEqualTo(1)));
            // the proxy lost the removed instances before they drained, and they are gone now
            assertThat(upstreamUpdates.get(upstreamUpdates.size() - 1)).hasSize(1);
            for (Instance gone : before) {
                if (!gone.address().equals(manager.list().get(0).address())) {
                    assertThat(answers(gone.address())).as(gone.id() + " stopped").isFalse();
                }
            }
        }
    }

    private void awaitAllUp(LocalProcessInstanceManager manager) {
        Await.until("every instance answers", Duration.ofSeconds(30),
                () -> manager.list().stream().filter(i -> !answers(i.address())).map(Instance::id).toList(),
                List::isEmpty);
    }

    private boolean answers(HostAndPort address) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://" + address + "/api/ping"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void load(List<HostAndPort> upstreams, int requests) throws Exception {
        for (int r = 0; r < requests; r++) {
            HostAndPort to = upstreams.get(r % upstreams.size());
            HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create("http://" + to + "/api/work"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(resp.statusCode()).isEqualTo(200);
        }
    }
}
