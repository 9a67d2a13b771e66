package io.generalbots.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

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
}
