package io.generalbots.scaling.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class HealthReportTest {

    @Test
    void writesTheSeedsShapeExactly() {
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("database", "ok");
        checks.put("cache", "ok");
        checks.put("vectordb", "ok");
        checks.put("llm", "ok");
        HealthReport report = new HealthReport(HealthStatus.HEALTHY, "6.1.0", 86400, checks,
                new HealthReport.Metrics(45.2, 62.1, 150));
        assertThat(report.toJson()).isEqualTo("{\"status\":\"healthy\",\"version\":\"6.1.0\",\"uptime\":86400,"
                + "\"checks\":{\"database\":\"ok\",\"cache\":\"ok\",\"vectordb\":\"ok\",\"llm\":\"ok\"},"
                + "\"metrics\":{\"cpu\":45.2,\"memory\":62.1,\"connections\":150}}");
        assertThat(HealthReport.parse(report.toJson())).isEqualTo(report);
    }

    @Test
    void statusesMapToHttpCodes() {
        assertThat(HealthStatus.HEALTHY.httpStatus()).isEqualTo(200);
        assertThat(HealthStatus.DEGRADED.httpStatus()).isEqualTo(200);
        assertThat(HealthStatus.UNHEALTHY.httpStatus()).isEqualTo(503);
        assertThat(HealthStatus.DRAINING.httpStatus()).isEqualTo(503);
        assertThat(HealthStatus.HEALTHY.worst(HealthStatus.UNHEALTHY)).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(HealthStatus.UNHEALTHY.worst(HealthStatus.DRAINING)).isEqualTo(HealthStatus.DRAINING);
        assertThat(HealthStatus.DEGRADED.ready()).isTrue();
        assertThat(HealthStatus.DRAINING.ready()).isFalse();
        assertThat(HealthStatus.ofWord("draining")).isEqualTo(HealthStatus.DRAINING);
    }

    @Test
    void extraMetricsFollowTheSeedsThreeAndSurviveARoundTrip() {
        Map<String, Number> extra = new LinkedHashMap<>();
        extra.put("requests_per_min", 420L);
        extra.put("response_time_ms", 180.04);
        extra.put("queue_depth", 3);
        extra.put("response_time_p95_ms", Double.NaN);
        HealthReport report = new HealthReport(HealthStatus.HEALTHY, "6.1.0", 5, Map.of(),
                new HealthReport.Metrics(45.2, 62.1, 2, extra));
        String json = report.toJson();
        assertThat(json).isEqualTo("{\"status\":\"healthy\",\"version\":\"6.1.0\",\"uptime\":5,\"checks\":{},"
                + "\"metrics\":{\"cpu\":45.2,\"memory\":62.1,\"connections\":2,\"requests_per_min\":420,"
                + "\"response_time_ms\":180.0,\"queue_depth\":3}}");
        assertThat(HealthReport.parse(json).metrics().extra())
                .containsExactly(Map.entry("requests_per_min", 420L), Map.entry("response_time_ms", 180.0),
                        Map.entry("queue_depth", 3L));
        assertThatThrownBy(() -> new HealthReport.Metrics(1, 2, 3, Map.of("cpu", 4)))
                .hasMessage("extra metric name must not be one of the seed's cpu, memory, connections, but was cpu");
    }

    @Test
    void anInstanceThatDrainsTurnsTheReportDrainingAndAddsItsLoad() {
        HealthReport base = new HealthReport(HealthStatus.DEGRADED, "6.1.0", 5, Map.of("llm", "fallback"),
                new HealthReport.Metrics(10, 20, 0, Map.of("requests_per_min", 1L)));
        boolean[] draining = {false};
        InstanceState state = new InstanceState() {
            @Override
            public boolean draining() {
                return draining[0];
            }

            @Override
            public long inFlight() {
                return 7;
            }

            @Override
            public Map<String, Number> loadMetrics() {
                return Map.of("requests_per_min", 99L);
            }
        };
        HealthReport serving = base.withInstance(state);
        assertThat(serving.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(serving.metrics().connections()).isEqualTo(7);
        assertThat(serving.metrics().extra()).containsExactly(Map.entry("requests_per_min", 99L));
        assertThat(serving.checks()).containsExactly(Map.entry("llm", "fallback"));
        draining[0] = true;
        assertThat(base.withInstance(state).status()).isEqualTo(HealthStatus.DRAINING);
        assertThat(base.withInstance(state).toJson()).startsWith("{\"status\":\"draining\",");
        HealthReport withConnections = new HealthReport(HealthStatus.HEALTHY, "1", 0, Map.of(),
                new HealthReport.Metrics(0, 0, 150));
        assertThat(withConnections.withInstance(state).metrics().connections()).isEqualTo(150);
    }

    @Test
    void badInputIsNamed() {
        assertThatThrownBy(() -> HealthReport.parse("{\"version\":\"1\"}"))
                .hasMessage("health report must have a text field \"status\", but was {\"version\":\"1\"}");
        assertThatThrownBy(() -> HealthReport.parse("{\"status\":\"fine\"}"))
                .hasMessage("health status must be one of healthy, degraded, unhealthy, draining, but was fine");
        assertThatThrownBy(() -> HealthReport.parse("not json")).hasMessageStartingWith("health report must be JSON");
        assertThatThrownBy(() -> new HealthReport(HealthStatus.HEALTHY, "1", -1, Map.of(), HealthReport.Metrics.NONE))
                .hasMessage("uptime must be at least 0, but was -1");
    }

    @Test
    void livenessIsHealthyWhateverTheChecksSayAndEscapesTheVersion() {
        HealthReport unhealthy = new HealthReport(HealthStatus.UNHEALTHY, "6.1\"\n<x>", 42, Map.of("database", "error"),
                HealthReport.Metrics.NONE);
        assertThat(unhealthy.toLiveJson()).isEqualTo("{\"status\":\"healthy\",\"version\":\"6.1\\\"\\n<x>\",\"uptime\":42}");
    }
}
