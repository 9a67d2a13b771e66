package io.generalbots.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpServer;
import io.generalbots.failover.health.HealthAggregator;
import io.generalbots.failover.health.HealthHttpHandler;
import io.generalbots.failover.health.HostMetrics;
import io.generalbots.scaling.health.HealthCheckResult;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.Test;

/** The health servlet on a real Jetty 12 (ee10) server answers exactly as the JDK handler. */
class HealthServletTest {

    private static final List<String> PATHS = List.of("/api/health", "/api/health/ready", "/api/health/live",
            "/api/health/other");

    @Test
    void servesTheSeedsJsonOnAllThreePathsLikeTheJdkHandler() throws Exception {
        AtomicReference<HealthCheckResult> llm = new AtomicReference<>(HealthCheckResult.up());
        AtomicReference<HealthCheckResult> db = new AtomicReference<>(HealthCheckResult.up());
        HealthAggregator aggregator = HealthAggregator.custom().version("6.1.0").uptime(() -> 42)
                .hostMetrics(new HostMetrics() {
                    @Override
                    public double cpuPercent() {
                        return 12.5;
                    }

                    @Override
                    public double memoryPercent() {
                        return 40;
                    }
                })
                .check("database", db::get).check("llm", llm::get).build();
        HealthServlet servlet = new HealthServlet("/api/health", aggregator);
        HttpServer jdk = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        HealthHttpHandler.install(jdk, "/api/health", aggregator);
        jdk.start();
        try (JettyServer jetty = JettyServer.start(c -> {
            ServletHolder holder = new ServletHolder(servlet);
            for (String pattern : servlet.urlPatterns()) {
                c.addServlet(holder, pattern);
            }
        })) {
            aggregator.refresh().join();
            List<String> healthy = answers(jetty.client, jetty.uri(""));
            assertThat(healthy.get(0)).isEqualTo("200 application/json {\"status\":\"healthy\",\"version\":\"6.1.0\","
                    + "\"uptime\":42,\"checks\":{\"database\":\"ok\",\"llm\":\"ok\"},"
                    + "\"metrics\":{\"cpu\":12.5,\"memory\":40.0,\"connections\":0}}");
            assertThat(healthy).isEqualTo(answers(jetty.client, URI.create("http://127.0.0.1:" + jdk.getAddress().getPort())));

            llm.set(HealthCheckResult.down("timeout"));
            aggregator.refresh().join();
            List<String> degraded = answers(jetty.client, jetty.uri(""));
            assertThat(degraded.get(1)).startsWith("200 application/json {\"status\":\"degraded\"");
            assertThat(degraded).isEqualTo(answers(jetty.client, URI.create("http://127.0.0.1:" + jdk.getAddress().getPort())));

            db.set(HealthCheckResult.down("down"));
            aggregator.refresh().join();
            List<String> unhealthy = answers(jetty.client, jetty.uri(""));
            assertThat(unhealthy.get(1)).startsWith("503 application/json {\"status\":\"unhealthy\"");
            assertThat(unhealthy.get(2)).isEqualTo("200 application/json {\"status\":\"healthy\",\"version\":\"6.1.0\",\"uptime\":42}");
            assertThat(unhealthy.get(3)).isEqualTo("404 application/json {\"error\":\"not found\"}");
            assertThat(unhealthy.get(4)).isEqualTo("405 application/json GET, HEAD {\"error\":\"method not allowed\"}");
            assertThat(unhealthy).isEqualTo(answers(jetty.client, URI.create("http://127.0.0.1:" + jdk.getAddress().getPort())));
        } finally {
            jdk.stop(0);
            aggregator.close();
        }
    }

    private static List<String> answers(HttpClient client, URI base) throws Exception {
        List<String> out = new ArrayList<>();
        for (String p : PATHS) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + p)).build(),
                    HttpResponse.BodyHandlers.ofString());
            out.add(r.statusCode() + " " + r.headers().firstValue("Content-Type").orElse("-") + " " + r.body());
            assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        }
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(base + "/api/health"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        out.add(post.statusCode() + " " + post.headers().firstValue("Content-Type").orElse("-") + " "
                + post.headers().firstValue("Allow").orElse("-") + " " + post.body());
        return out;
    }
}
