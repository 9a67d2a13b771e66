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
        assertThat(HealthStatus.HEALTHY.worst(HealthStatus.UNHEALTHY)).isEqualTo(HealthStatus.UNHEALTHY);
    }

    @Test
    void badInputIsNamed() {
        assertThatThrownBy(() -> HealthReport.parse("{\"version\":\"1\"}"))
                .hasMessage("health report must have a text field \"status\", but was {\"version\":\"1\"}");
        assertThatThrownBy(() -> HealthReport.parse("{\"status\":\"fine\"}"))
                .hasMessage("health status must be one of healthy, degraded, unhealthy, but was fine");
        assertThatThrownBy(() -> HealthReport.parse("not json")).hasMessageStartingWith("health report must be JSON");
        assertThatThrownBy(() -> new HealthReport(HealthStatus.HEALTHY, "1", -1, Map.of(), HealthReport.Metrics.NONE))
                .hasMessage("uptime must be at least 0, but was -1");
    }
}
