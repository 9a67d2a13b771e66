package io.generalbots.failover.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.generalbots.scaling.health.HealthCheckResult;
import io.generalbots.scaling.health.HealthReport;
import io.generalbots.scaling.health.InstanceState;
import io.generalbots.scaling.testing.ManualTicker;

class HealthHttpHandlerTest {

    private final AtomicReference<HealthCheckResult> database = new AtomicReference<>(HealthCheckResult.up());
    private HttpServer server;
    private HealthAggregator aggregator;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() throws Exception {
        aggregator = HealthAggregator.custom().ticker(new ManualTicker()).version("6.1.0").retries(0)
                .check("database", database::get).check("llm", HealthCheckResult::up).build();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        HealthHttpHandler.install(server, "/api/health", aggregator);
        server.start();
    }

    @AfterEach
    void tearDown() {
        server.stop(0);
        aggregator.close();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build();
        return client.send(req, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesHealthReadinessAndLiveness() throws Exception {
        aggregator.refresh().join();
        HttpResponse<String> health = send("GET", "/api/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.headers().firstValue("Content-Type")).contains("application/json");
        HealthReport report = HealthReport.parse(health.body());
        assertThat(report.status().word()).isEqualTo("healthy");
        assertThat(report.checks()).containsEntry("database", "ok").containsEntry("llm", "ok");
        assertThat(send("GET", "/api/health/ready").statusCode()).isEqualTo(200);
        HttpResponse<String> live = send("GET", "/api/health/live");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).isEqualTo("{\"status\":\"healthy\",\"version\":\"6.1.0\",\"uptime\":0}");
    }

    @Test
    void unhealthyIs503ButLivenessStays200() throws Exception {
        database.set(HealthCheckResult.down("down"));
        aggregator.refresh().join();
        HttpResponse<String> health = send("GET", "/api/health");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).startsWith("{\"status\":\"unhealthy\"").contains("\"database\":\"down\"");
        assertThat(send("GET", "/api/health/ready").statusCode()).isEqualTo(503);
        assertThat(send("GET", "/api/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void degradedIs200() throws Exception {
        database.set(HealthCheckResult.degraded("open"));
        aggregator.refresh().join();
        HttpResponse<String> health = send("GET", "/api/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).startsWith("{\"status\":\"degraded\"").contains("\"database\":\"open\"");
    }

    @Test
    void otherMethodsAndPathsAreRefused() throws Exception {
        HttpResponse<String> post = send("POST", "/api/health");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
        assertThat(send("GET", "/api/health/other").statusCode()).isEqualTo(404);
        HttpResponse<String> head = send("HEAD", "/api/health");
        assertThat(head.body()).isEmpty();
        assertThatThrownBy(() -> new HealthHttpHandler("api/health", aggregator))
                .hasMessage("endpoint must be a path starting with /, but was api/health");
    }

    @Test
    void aDrainingInstanceIs503OnHealthAndReadinessWithItsLoadInTheMetrics() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean draining = new java.util.concurrent.atomic.AtomicBoolean();
        InstanceState instance = new InstanceState() {
            @Override
            public boolean draining() {
                return draining.get();
            }

            @Override
            public long inFlight() {
                return 3;
            }

            @Override
            public java.util.Map<String, Number> loadMetrics() {
                return java.util.Map.of("requests_per_min", 420L);
            }
        };
        try (HealthAggregator withInstance = HealthAggregator.custom().ticker(new ManualTicker()).version("6.1.0")
                .retries(0).hostMetrics(new HostMetrics() {
                    @Override
                    public double cpuPercent() {
                        return 45.2;
                    }

                    @Override
                    public double memoryPercent() {
                        return 62.1;
                    }
                }).check("database", HealthCheckResult::up).instance(instance).build()) {
            server.removeContext("/api/health");
            HealthHttpHandler.install(server, "/api/health", withInstance);
            withInstance.refresh().join();
            HttpResponse<String> serving = send("GET", "/api/health");
            assertThat(serving.statusCode()).isEqualTo(200);
            assertThat(serving.body()).isEqualTo("{\"status\":\"healthy\",\"version\":\"6.1.0\",\"uptime\":0,"
                    + "\"checks\":{\"database\":\"ok\"},\"metrics\":{\"cpu\":45.2,\"memory\":62.1,\"connections\":3,"
                    + "\"requests_per_min\":420}}");
            draining.set(true);
            HttpResponse<String> health = send("GET", "/api/health");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).startsWith("{\"status\":\"draining\"");
            assertThat(send("GET", "/api/health/ready").statusCode()).isEqualTo(503);
            assertThat(send("GET", "/api/health/live").statusCode()).isEqualTo(200);
        }
    }
}
