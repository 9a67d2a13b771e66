package io.generalbots.examples.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.generalbots.autoscale.AutoScaler;
import io.generalbots.autoscale.InstanceMetrics;
import io.generalbots.autoscale.LeaderElection;
import io.generalbots.autoscale.PushedMetricsSource;
import io.generalbots.autoscale.ScalingMetrics;
import io.generalbots.autoscale.ScalingSettings;
import io.generalbots.autoscale.instance.Instance;
import io.generalbots.examples.DemoBotServer;
import io.generalbots.scaling.Ticker;
import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.testing.FreePorts;
import io.generalbots.scaling.testing.ServerProcess;

/**
 * A real Prometheus (Debian's {@code prometheus} 2.42; a missing binary fails this test) scrapes the
 * demo botserver's {@code /metrics} on loopback every second with the shipped
 * {@code monitoring/alerting-rules.yml}, evaluated every second. An auto-scaler bound to the demo's
 * registry is driven to {@code scale-max-instances}; the seed's MaxInstancesReached rule
 * ({@code for: 1m}, unchanged) must then fire, as Prometheus's {@code /api/v1/alerts} reports it.
 * Every query of the shipped Grafana dashboard is then run by the same Prometheus.
 */
class PrometheusAlertsIT {

    private static final int MAX = 3;
    /** The rule waits 1 minute; scraping, evaluation and start-up take seconds: 3 minutes is ample. */
    private static final Duration FIRING_WITHIN = Duration.ofMinutes(3);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void maxInstancesReachedFiresInPrometheusAndTheDashboardQueriesRun(@TempDir Path tmp) throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (DemoBotServer demo = DemoBotServer.start(DemoBotServer.embeddedConfig(), 0, quiet)) {
            AutoScaler scaler = scalerAtItsMaximum(demo);
            int port = FreePorts.find();
            Path config = tmp.resolve("prometheus.yml");
            Files.writeString(config, String.join("\n",
                    "global:",
                    "  scrape_interval: 1s",
                    "  evaluation_interval: 1s",
                    "rule_files:",
                    "  - " + Monitoring.rules().toAbsolutePath(),
                    "scrape_configs:",
                    "  - job_name: botserver",
                    "    metrics_path: /metrics",
                    "    static_configs:",
                    "      - targets: ['127.0.0.1:" + demo.port() + "']",
                    ""));
            try (ServerProcess prometheus = new ServerProcess("prometheus-alerts-it", List.of("prometheus",
                    "--config.file=" + config, "--storage.tsdb.path=" + tmp.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port)).launch()) {
                String base = "http://127.0.0.1:" + port;
                prometheus.awaitReady("GET /-/ready answers 200", () -> status(base + "/-/ready") == 200,
                        Duration.ofSeconds(60));

                JsonNode alert = awaitFiring(base, "MaxInstancesReached", prometheus);
                assertThat(alert.path("labels").path("scaler").asText()).isEqualTo("it");
                assertThat(alert.path("labels").path("severity").asText()).isEqualTo("critical");
                assertThat(alert.path("labels").path("job").asText()).isEqualTo("botserver");
                assertThat(alert.path("annotations").path("summary").asText())
                        .isEqualTo("Maximum instances reached, cannot scale up");
                assertThat(scaler.name()).isEqualTo("it");

                runEveryDashboardQuery(base, demo.port());
            }
        }
    }

    /** An auto-scaler over in-memory instances, bound to the demo's registry, pushed to its maximum. */
    private static AutoScaler scalerAtItsMaximum(DemoBotServer demo) {
        InMemoryInstances instances = new InMemoryInstances(1);
        PushedMetricsSource source = new PushedMetricsSource(Duration.ofMinutes(10), Ticker.system());
        AutoScaler scaler = AutoScaler.custom(ScalingSettings.from(BotConfig.of(Map.of("scale-enabled", "true",
                "scale-min-instances", "1", "scale-max-instances", String.valueOf(MAX)))), instances, source)
                .name("it").leaderElection(LeaderElection.alone()).build();
        ScalingMetrics.of(scaler).bindTo(demo.meters());
        for (int check = 0; check < 10 && instances.list().size() < MAX; check++) {
            for (Instance i : instances.list()) {
                source.record(i.id(), InstanceMetrics.cpu(100));
            }
            scaler.check();
        }
        assertThat(instances.list()).as("the scaler at scale-max-instances").hasSize(MAX);
        return scaler;
    }

    private JsonNode awaitFiring(String base, String name, ServerProcess prometheus) throws Exception {
        long deadline = System.nanoTime() + FIRING_WITHIN.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = get(base + "/api/v1/alerts");
            for (JsonNode a : last.path("data").path("alerts")) {
                if (name.equals(a.path("labels").path("alertname").asText()) && "firing".equals(a.path("state").asText())) {
                    return a;
                }
            }
            Thread.sleep(1000);
        }
        throw new AssertionError(name + " did not fire within " + FIRING_WITHIN + ".\nLast /api/v1/alerts: " + last
                + "\n/api/v1/targets: " + get(base + "/api/v1/targets").path("data").path("activeTargets")
                + "\ngb_scaling_instances: " + query(base, "gb_scaling_instances")
                + "\nPrometheus log:\n" + prometheus.tail());
    }

    /**
     * Every dashboard query is valid PromQL that this Prometheus runs, and every name a query reads
     * that the demo publishes is one Prometheus ingested under that name (the other names, of
     * components the demo does not run, are checked against a scrape by MetricsCatalogueTest).
     */
    private void runEveryDashboardQuery(String base, int demoPort) throws Exception {
        Set<String> ingested = new TreeSet<>();
        get(base + "/api/v1/label/__name__/values").path("data").forEach(n -> ingested.add(n.asText()));
        Set<String> published = Catalogue.sampleNames(http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + demoPort + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body());
        List<String> problems = new ArrayList<>();
        Set<String> checked = new TreeSet<>();
        for (Dashboard.Query q : Dashboard.queries()) {
            JsonNode answer = query(base, q.runnable());
            if (!"success".equals(answer.path("status").asText())) {
                problems.add(q.panel() + ": " + q.runnable() + " -> " + answer);
            }
            for (String name : Monitoring.metricNames(q.expr())) {
                if (published.contains(name)) {
                    checked.add(name);
                    if (!ingested.contains(name)) {
                        problems.add(q.panel() + ": " + name + " published by the demo but not in Prometheus");
                    }
                }
            }
        }
        assertThat(problems).as("dashboard queries").isEmpty();
        assertThat(checked).contains("gb_scaling_instances", "gb_scaling_max_instances", "gb_scaling_instance_cpu_usage",
                "resilience4j_circuitbreaker_state", "gb_ratelimit_decisions_total", "gb_health_status",
                "gb_balancer_upstreams");
    }

    private JsonNode query(String base, String promql) throws IOException, InterruptedException {
        return get(base + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    }

    private JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return json.readTree(r.body());
    }

    private int status(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
