package io.generalbots.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;

import io.generalbots.autoscale.instance.Instance;
import io.generalbots.autoscale.serving.BotInstance;
import io.generalbots.autoscale.serving.InstanceConfig;
import io.generalbots.autoscale.serving.jdk.JdkHttpInstance;
import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.scaling.health.HealthReport;
import io.generalbots.scaling.health.HealthStatus;
import io.generalbots.scaling.testing.ManualTicker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scaler's three triggers that only the instance side can feed — {@code scale-request-threshold},
 * {@code scale-rule-response-time}, {@code scale-rule-queue-depth} — read the way the scaler reads
 * them in production: from each instance's health endpoint over HTTP, where a {@link BotInstance}
 * meters what it serves (on a manual ticker, so the figures are exact).
 */
class InstanceTriggersTest {

    private final ManualTicker ticker = new ManualTicker();
    private final List<HttpServer> servers = new ArrayList<>();
    private final List<BotInstance> bots = new ArrayList<>();
    private final FakeManager manager = new FakeManager(0);
    private long queue;

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    private void cluster(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            BotInstance bot = BotInstance.of(InstanceConfig.custom().name("bot-" + i).ticker(ticker)
                    .queueDepth(() -> queue).build());
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            // cpu and memory low: only the instance's own figures can trigger
            JdkHttpInstance.of(bot).installHealth(server, "/api/health", () -> new HealthReport(HealthStatus.HEALTHY,
                    "6.1.0", 1, Map.of(), new HealthReport.Metrics(20, 30, 0)));
            server.start();
            servers.add(server);
            bots.add(bot);
            Instance instance = new Instance("node-" + i, new HostAndPort("127.0.0.1", server.getAddress().getPort()), i);
            manager.instances.put(instance.id(), instance);
        }
    }

    private Recommendation check(String... keys) {
        Map<String, String> m = new HashMap<>(Map.of("scale-enabled", "true", "scale-max-instances", "10"));
        for (int i = 0; i < keys.length; i += 2) {
            m.put(keys[i], keys[i + 1]);
        }
        AutoScaler scaler = AutoScaler.custom(ScalingSettings.from(BotConfig.of(m)), manager,
                        new HealthEndpointMetricsSource(HttpClient.newHttpClient(), "/api/health", Duration.ofSeconds(5)))
                .name("triggers").ticker(ticker).clock(ticker.clock()).leaderElection(LeaderElection.alone()).build();
        return scaler.check().orElseThrow();
    }

    private void serve(BotInstance bot, int requests, Duration each) {
        for (int r = 0; r < requests; r++) {
            BotInstance.Ticket t = bot.admit();
            ticker.advance(each);
            t.end(200);
        }
    }

    @Test
    void requestsPerMinuteFromTheInstancesDriveScaleRequestThreshold() throws Exception {
        cluster(2);
        serve(bots.get(0), 1500, Duration.ofMillis(10));            // 15 s of ticker time
        serve(bots.get(1), 1300, Duration.ofMillis(10));            // 13 s more: all within the minute
        Recommendation rec = check("scale-request-threshold", "1000");
        assertThat(rec.rule()).isEqualTo("scale-request-threshold");
        assertThat(rec.reason()).isEqualTo("avg requests/min per instance 1400 > 1000 on 2 ready: "
                + "ceil(2 × 1400 / 1000) = 3");
        assertThat(manager.instances).hasSize(3);
    }

    @Test
    void averageResponseTimeFromTheInstancesDrivesTheResponseTimeRule() throws Exception {
        cluster(2);
        serve(bots.get(0), 3, Duration.ofMillis(3000));
        serve(bots.get(1), 3, Duration.ofMillis(2500));
        Recommendation rec = check("scale-rule-response-time", "2000");
        assertThat(rec.rule()).isEqualTo("scale-rule-response-time");
        assertThat(rec.reason()).isEqualTo("avg response 2750 > 2000: max(2 + 1, ceil(2 × 1.4)) = 3");
    }

    @Test
    void queueDepthFromTheInstancesDrivesTheQueueRule() throws Exception {
        cluster(2);
        queue = 150;
        serve(bots.get(0), 1, Duration.ofMillis(5));
        Recommendation rec = check("scale-rule-queue-depth", "100");
        assertThat(rec.rule()).isEqualTo("scale-rule-queue-depth");
        assertThat(rec.reason()).isEqualTo("avg queue 150 > 100: max(2 + 1, ceil(2 × 1.5)) = 3");
    }

    @Test
    void aDrainingInstanceIsNotReadyForTheScaler() throws Exception {
        cluster(1);
        bots.get(0).drain();
        Map<String, InstanceMetrics> read = new HealthEndpointMetricsSource(HttpClient.newHttpClient(), "/api/health",
                Duration.ofSeconds(5)).collect(manager.list());
        assertThat(read.get("node-0").ready()).isFalse();
        assertThat(read.get("node-0").requestsPerMinute()).isZero();
    }
}
