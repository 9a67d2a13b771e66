package io.generalbots.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.generalbots.scaling.config.BotConfig;

class DemoBotServerTest {

    @Test
    void embeddedConfigIsValidAndPrintsTheEffectiveSettings() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean valid = DemoBotServer.printCheck(DemoBotServer.embeddedConfig(),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(valid).as(printed).isTrue();
        assertThat(printed).contains("scale-cpu-threshold = 70  (line ").contains("scale-enabled = false  (line ");
    }

    @Test
    void tourRunsAgainstTheRunningServer() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (DemoBotServer demo = DemoBotServer.start(DemoBotServer.embeddedConfig(), 0, out)) {
            demo.tour();
            DemoTour tour = new DemoTour(demo.port(), out);
            assertThat(tour.post("/api/chat", "ping", Map.of()).body()).contains("ping");
            assertThat(tour.get("/api/health", Map.of()).statusCode()).isEqualTo(200);
            assertThat(tour.get("/api/health", Map.of()).body()).contains("\"requests_per_min\":")
                    .contains("\"response_time_ms\":");
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("GET /api/health -> 200")
                .contains("GET /api/instance/drain -> 200 {\"state\":\"serving\",\"inflight\":0}")
                .contains("POST /api/instance/drain -> 403 {\"error\":\"forbidden\"}");
    }

    @Test
    void theDemoDrainsOnTheScalersWord() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (DemoBotServer demo = DemoBotServer.start(DemoBotServer.embeddedConfig(), 0, out)) {
            DemoTour tour = new DemoTour(demo.port(), out);
            assertThat(tour.post("/api/chat", "before", Map.of()).statusCode()).isEqualTo(200);
            assertThat(tour.post("/api/instance/drain", "", Map.of()).statusCode()).isEqualTo(202);
            var refused = tour.post("/api/chat", "after", Map.of());
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).contains("1");
            var health = tour.get("/api/health", Map.of());
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).startsWith("{\"status\":\"draining\"");
            assertThat(tour.get("/api/instance/drain", Map.of()).body()).isEqualTo("{\"state\":\"drained\",\"inflight\":0}");
        }
    }

    @Test
    void aClientThatExhaustedItsBudgetStillGetsTheHealthReport() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        String seed;
        try (var in = DemoBotServer.class.getResourceAsStream("demo-config.csv")) {
            seed = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // the seed's settings, with a window of an hour: the real clock gives one request back every 36 s
        assertThat(seed).contains("\nrate-limit-window,60\n");
        BotConfig config = BotConfig.parse("demo-config.csv", seed.replace("\nrate-limit-window,60\n",
                "\nrate-limit-window,1h\n"));
        try (DemoBotServer demo = DemoBotServer.start(config, 0, out)) {
            DemoTour tour = new DemoTour(demo.port(), out);
            // a bucket of 120 (100 + 20); /api/search has no limit of its own, so it empties the global bucket
            int sent = 0;
            while (tour.get("/api/search", Map.of()).statusCode() != 429) {
                assertThat(++sent).as("requests before the first 429").isLessThan(1000);
            }
            assertThat(sent).isGreaterThanOrEqualTo(120);
            for (String path : new String[] {"/api/health", "/api/health/ready", "/api/health/live"}) {
                var health = tour.get(path, Map.of());
                assertThat(health.statusCode()).as(path + ": " + health.body()).isNotEqualTo(429);
                assertThat(health.body()).as(path).startsWith("{\"status\":");
                assertThat(health.headers().firstValue("RateLimit")).as(path).isEmpty();
            }
        }
    }

    @Test
    void servesItsMetersInPrometheusTextFormat() throws Exception {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (DemoBotServer demo = DemoBotServer.start(DemoBotServer.embeddedConfig(), 0, out)) {
            demo.tour();
            var response = new DemoTour(demo.port(), out).get("/metrics", Map.of());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            // what the tour did shows: the llm breaker opened, logins were denied, health degraded
            assertThat(response.body()).contains(
                    "resilience4j_circuitbreaker_state{name=\"llm\",state=\"open\"} 1",
                    "gb_ratelimit_decisions_total{limiter=\"demo\",outcome=\"denied\",policy=\"auth\",source=\"local\"} 1.0",
                    "gb_health_status{status=\"degraded\"} 1",
                    "gb_balancer_upstreams{balancer=\"demo-instances\"} 2",
                    "jvm_memory_used_bytes");
        }
    }
}
