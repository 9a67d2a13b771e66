package io.generalbots.autoscale.serving.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;

import io.generalbots.autoscale.serving.BotInstance;
import io.generalbots.autoscale.serving.DrainState;
import io.generalbots.autoscale.serving.InstanceConfig;
import io.generalbots.scaling.health.HealthReport;
import io.generalbots.scaling.health.HealthStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JdkHttpInstanceTest {

    private static final String TOKEN = "0123456789abcdef-token";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ExecutorService executor = Executors.newFixedThreadPool(16);
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch entered = new CountDownLatch(3);
    private final java.util.concurrent.atomic.AtomicInteger boomCalls = new java.util.concurrent.atomic.AtomicInteger();
    private HttpServer server;
    private BotInstance instance;

    private void start(InstanceConfig config) throws IOException {
        instance = BotInstance.of(config);
        JdkHttpInstance adapter = JdkHttpInstance.of(instance);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/api/work", ex -> {
            byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, ok.length);
            ex.getResponseBody().write(ok);
            ex.close();
        }).getFilters().add(adapter.filter());
        server.createContext("/api/slow", ex -> {
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        }).getFilters().add(adapter.filter());
        server.createContext("/api/boom", ex -> {
            boomCalls.incrementAndGet();
            throw new IllegalStateException("handler failed");
        }).getFilters().add(adapter.filter());
        adapter.installControl(server);
        adapter.installHealth(server, "/api/health",
                () -> new HealthReport(HealthStatus.HEALTHY, "6.1.0", 1, Map.of(), new HealthReport.Metrics(12, 34, 0)));
        server.setExecutor(executor);
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
        executor.shutdownNow();
    }

    private HttpResponse<String> send(String method, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()
                + path)).timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metersTheRequestsItServesIntoTheHealthReport() throws Exception {
        start(InstanceConfig.custom().queueDepth(() -> 2).build());
        for (int i = 0; i < 5; i++) {
            assertThat(send("GET", "/api/work", Map.of()).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> health = send("GET", "/api/health", Map.of());
        assertThat(health.statusCode()).isEqualTo(200);
        HealthReport report = HealthReport.parse(health.body());
        assertThat(report.status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(report.metrics().cpu()).isEqualTo(12.0);
        assertThat(report.metrics().extra()).containsEntry("requests_per_min", 5L).containsEntry("inflight", 0L)
                .containsEntry("queue_depth", 2L).containsKeys("response_time_ms", "response_time_p95_ms");
        // health and control requests are not metered
        send("GET", "/api/instance/drain", Map.of());
        assertThat(instance.load().requestsPerMinute()).isEqualTo(5);
        assertThat(send("GET", "/api/health/live", Map.of()).statusCode()).isEqualTo(200);
    }

    @Test
    void aRequestWhoseHandlerThrowsStillReleasesItsPlace() throws Exception {
        start(InstanceConfig.ofDefaults());
        try {
            send("GET", "/api/boom", Map.of());
        } catch (IOException expected) {
            // the JDK server closes the connection of a handler that threw
        }
        // (the client may retry a GET once on a closed connection: every call is counted)
        assertThat(boomCalls.get()).isPositive();
        assertThat(instance.inFlight()).isZero();
        assertThat(instance.load().errorsPerMinute()).isEqualTo(boomCalls.get());
        assertThat(instance.load().requestsPerMinute()).isEqualTo(boomCalls.get());
    }

    @Test
    void drainingRefusesNewRequestsFailsReadinessAndLetsRequestsInFlightFinish() throws Exception {
        start(InstanceConfig.custom().retryAfter(Duration.ofSeconds(2)).build());
        List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            slow.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return send("GET", "/api/slow", Map.of());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(instance.inFlight()).isEqualTo(3);

        HttpResponse<String> drain = send("POST", "/api/instance/drain", Map.of());
        assertThat(drain.statusCode()).isEqualTo(202);
        assertThat(drain.body()).isEqualTo("{\"state\":\"draining\",\"inflight\":3}");

        HttpResponse<String> refused = send("GET", "/api/work", Map.of());
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).contains("2");
        assertThat(refused.body()).isEqualTo("{\"error\":\"draining\",\"retry_after\":2}");

        HttpResponse<String> ready = send("GET", "/api/health/ready", Map.of());
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(HealthReport.parse(ready.body()).status()).isEqualTo(HealthStatus.DRAINING);
        assertThat(HealthReport.parse(ready.body()).metrics().extra()).containsEntry("inflight", 3L);
        assertThat(send("GET", "/api/health/live", Map.of()).statusCode()).isEqualTo(200);

        release.countDown();
        for (CompletableFuture<HttpResponse<String>> f : slow) {
            assertThat(f.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(instance.awaitDrained(Duration.ofSeconds(10))).isTrue();
        assertThat(send("GET", "/api/instance/drain", Map.of()).body())
                .isEqualTo("{\"state\":\"drained\",\"inflight\":0}");
        assertThat(send("POST", "/api/instance/drain", Map.of()).statusCode()).isEqualTo(202);
    }

    @Test
    void aStrangerIsRefusedTheControlEndpoint() throws Exception {
        start(InstanceConfig.ofDefaults());
        // through a proxy on this host (Caddy adds X-Forwarded-For): loopback proves nothing
        HttpResponse<String> proxied = send("POST", "/api/instance/drain", Map.of("X-Forwarded-For", "203.0.113.9"));
        assertThat(proxied.statusCode()).isEqualTo(403);
        assertThat(proxied.body()).isEqualTo("{\"error\":\"forbidden\"}");
        assertThat(send("GET", "/api/instance/anything", Map.of("Via", "1.1 caddy")).statusCode()).isEqualTo(403);
        assertThat(instance.state()).isEqualTo(DrainState.SERVING);
        assertThat(send("GET", "/api/work", Map.of()).statusCode()).isEqualTo(200);
        // the scaler on this host, directly
        assertThat(send("DELETE", "/api/instance/drain", Map.of()).statusCode()).isEqualTo(405);
        assertThat(send("GET", "/api/instance/other", Map.of()).statusCode()).isEqualTo(404);
        assertThat(send("POST", "/api/instance/drain", Map.of()).statusCode()).isEqualTo(202);
    }

    @Test
    void withATokenOnlyItsHolderMayDrain() throws Exception {
        start(InstanceConfig.custom().controlToken(TOKEN).build());
        assertThat(send("POST", "/api/instance/drain", Map.of()).statusCode()).isEqualTo(403);
        assertThat(send("POST", "/api/instance/drain", Map.of("Authorization", "Bearer wrong-token-0123456789"))
                .statusCode()).isEqualTo(403);
        assertThat(instance.state()).isEqualTo(DrainState.SERVING);
        assertThat(send("POST", "/api/instance/drain", Map.of("Authorization", "Bearer " + TOKEN)).statusCode())
                .isEqualTo(202);
        assertThat(instance.isDraining()).isTrue();
    }
}
