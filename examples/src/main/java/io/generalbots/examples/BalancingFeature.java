package io.generalbots.examples;

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

import com.sun.net.httpserver.HttpServer;

import io.generalbots.balance.LoadBalancer;
import io.generalbots.balance.LoadBalancerConfig;
import io.generalbots.balance.LoadBalancerMetrics;
import io.generalbots.balance.LoadBalancingPolicy;
import io.generalbots.balance.PickRequest;
import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.scaling.health.HealthSettings;

/**
 * Load balancing in the library: starts two extra local instances, puts an in-library round-robin
 * balancer with health checks in front of them, and serves {@code /api/balanced}, which forwards
 * through the balancer and says where the request went. The tour stops one instance and shows
 * that no request fails and the rest go to the other.
 */
final class BalancingFeature implements DemoFeature {

    private final List<HttpServer> instances = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private LoadBalancer balancer;

    @Override
    public String name() {
        return "load balancing";
    }

    @Override
    public void install(DemoContext demo) throws IOException {
        List<HostAndPort> upstreams = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            String name = "instance-" + i;
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            server.createContext("/", exchange -> DemoHttp.send(exchange, 200, "text/plain; charset=utf-8",
                    name + " answered " + exchange.getRequestURI().getPath()));
            server.start();
            instances.add(server);
            upstreams.add(new HostAndPort("127.0.0.1", server.getAddress().getPort()));
        }
        balancer = LoadBalancer.custom("demo-instances")
                .config(LoadBalancerConfig.custom().policy(LoadBalancingPolicy.roundRobin())
                        .health(HealthSettings.from(demo.config()))
                        .tryDuration(Duration.ofSeconds(2)).failDuration(Duration.ofSeconds(10)).build())
                .upstreams(upstreams).build().start();
        LoadBalancerMetrics.of(balancer).bindTo(demo.meters());
        demo.route("/api/balanced", exchange -> {
            try {
                String answer = balancer.execute(PickRequest.none(), lease -> {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                            URI.create("http://" + lease.address() + "/api/chat")).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                    lease.status(r.statusCode());
                    return r.body() + " (via " + lease.address() + ")";
                });
                DemoHttp.send(exchange, 200, "text/plain; charset=utf-8", answer);
            } catch (Exception e) {
                DemoHttp.send(exchange, 503, "text/plain; charset=utf-8", "no instance answered: " + e.getMessage());
            }
        });
    }

    @Override
    public void tour(DemoTour tour) throws Exception {
        tour.say("load balancing: two extra instances behind an in-library round-robin balancer:");
        for (int i = 0; i < 4; i++) {
            tour.show("GET", "/api/balanced", tour.get("/api/balanced", Map.of()));
        }
        tour.say("stopping instance-2: the balancer retries elsewhere, then its health check takes it out");
        instances.get(1).stop(0);
        for (int i = 0; i < 2; i++) {
            tour.show("GET", "/api/balanced", tour.get("/api/balanced", Map.of()));
        }
        balancer.checkHealth().join();
        balancer.upstreams().forEach(u -> tour.say("  " + u.dial() + (u.isHealthy() ? " healthy" : " unhealthy")
                + ", " + u.activeRequests() + " in flight"));
        tour.show("GET", "/api/balanced", tour.get("/api/balanced", Map.of()));
    }

    @Override
    public void close() {
        if (balancer != null) {
            balancer.close();
        }
        instances.forEach(s -> s.stop(0));
    }
}
