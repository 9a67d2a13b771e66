package io.generalbots.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.autoscale.instance.Instance;
import org.junit.jupiter.api.Test;

class HealthEndpointMetricsSourceTest {

    static final String SEED_HEALTH = """
            {"status": "healthy", "version": "6.1.0", "uptime": 86400,
             "checks": {"database": "ok", "cache": "ok", "vectordb": "ok", "llm": "ok"},
             "metrics": {"cpu": 45.2, "memory": 62.1, "connections": 150}}""";

    @Test
    void readsTheSeedsHealthJson() {
        InstanceMetrics m = HealthEndpointMetricsSource.parse(SEED_HEALTH);
        assertThat(m.ready()).isTrue();
        assertThat(m.cpuPercent()).isEqualTo(45.2);
        assertThat(m.memoryPercent()).isEqualTo(62.1);
        assertThat(m.requestsPerMinute()).isNaN();
    }

    @Test
    void drainingOrStartingIsNotReadyAndGarbageIsNoMetrics() {
        assertThat(HealthEndpointMetricsSource.parse("{\"status\":\"draining\",\"metrics\":{\"cpu\":3}}").ready())
                .isFalse();
        assertThat(HealthEndpointMetricsSource.parse("{\"status\":\"degraded\"}").ready()).isTrue();
        assertThat(HealthEndpointMetricsSource.parse("<html>")).isNull();
        assertThat(HealthEndpointMetricsSource.parse("{\"ok\":true}")).isNull();
    }

    @Test
    void asksEveryInstanceAndLeavesOutThoseThatDoNotAnswer() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/health", ex -> {
            byte[] body = ("{\"status\":\"degraded\",\"metrics\":{\"cpu\":80,\"requests_per_min\":900,"
                    + "\"response_time_ms\":250,\"queue_depth\":4}}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(503, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            int dead = io.generalbots.scaling.testing.FreePorts.find();
            HealthEndpointMetricsSource source = new HealthEndpointMetricsSource(HttpClient.newHttpClient(),
                    "/api/health", Duration.ofSeconds(30)); // generous: a loaded CI machine; the dead one is refused at once
            Map<String, InstanceMetrics> out = source.collect(List.of(
                    new Instance("a", new HostAndPort("127.0.0.1", port), 1),
                    new Instance("b", new HostAndPort("127.0.0.1", dead), 2)));
            assertThat(out).containsOnlyKeys("a");
            assertThat(out.get("a")).isEqualTo(new InstanceMetrics(true, 80, Double.NaN, 900, 250, 4));
        } finally {
            server.stop(0);
        }
    }
}
