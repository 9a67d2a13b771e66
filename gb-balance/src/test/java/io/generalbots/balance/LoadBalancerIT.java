package io.generalbots.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.scaling.testing.Await;

/**
 * The balancer against real loopback HTTP servers: the default {@link HealthProbe#http()}, the
 * background schedule of {@link LoadBalancer#start()}, a health endpoint that hangs, and
 * {@link LoadBalancer#execute} retrying a refused connection elsewhere.
 */
class LoadBalancerIT {

    final List<HttpServer> servers = new ArrayList<>();
    final CountDownLatch release = new CountDownLatch(1);
    volatile int status2 = 200;
    final HttpClient http = HttpClient.newHttpClient();

    HostAndPort server(String name, boolean hangingHealth) throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        s.createContext("/", exchange -> {
            int status = 200;
            if (exchange.getRequestURI().getPath().equals("/api/health")) {
                if (hangingHealth) {
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                status = name.equals("s2") ? status2 : 200;
            }
            byte[] body = name.getBytes();
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        s.setExecutor(Executors.newFixedThreadPool(4));
        s.start();
        servers.add(s);
        return new HostAndPort("127.0.0.1", s.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        release.countDown();
        servers.forEach(s -> s.stop(0));
    }

    String call(LoadBalancer lb) throws Exception {
        return lb.execute(PickRequest.none(), lease -> {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + lease.address() + "/api/x"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            lease.status(r.statusCode());
            return r.body();
        });
    }

    @Test
    void backgroundHttpChecksTakeAnUpstreamOutAndBringItBack() throws Exception {
        HostAndPort s1 = server("s1", false);
        HostAndPort s2 = server("s2", false);
        try (LoadBalancer lb = LoadBalancer.custom("it").config(LoadBalancerConfig.custom()
                .policy(LoadBalancingPolicy.roundRobin()).healthUri("/api/health").healthFails(2)
                .healthInterval(Duration.ofMillis(300)).healthTimeout(Duration.ofMillis(300))
                .tryDuration(Duration.ofSeconds(3)).build())
                .upstreams(List.of(s1, s2)).build().start()) {
            Upstream u2 = lb.upstreams().get(1);
            status2 = 503;
            Await.until("s2 marked unhealthy", Duration.ofSeconds(10), () -> !u2.isHealthy());
            for (int i = 0; i < 10; i++) {
                assertThat(call(lb)).isEqualTo("s1");
            }
            status2 = 200;
            Await.until("s2 healthy again", Duration.ofSeconds(10), u2::isHealthy);
            List<String> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                answers.add(call(lb));
            }
            assertThat(answers).containsOnly("s1", "s2").contains("s2");
        }
    }

    @Test
    void aHangingHealthEndpointTimesOutAndPicksNeverWait() throws Exception {
        HostAndPort hanging = server("s1", true);
        HostAndPort fine = server("s2", false);
        try (LoadBalancer lb = LoadBalancer.custom("hang").config(LoadBalancerConfig.custom()
                .policy(LoadBalancingPolicy.first()).healthUri("/api/health")
                .healthInterval(Duration.ofSeconds(2)).healthTimeout(Duration.ofMillis(1500)).build())
                .upstreams(List.of(hanging, fine)).build()) {
            var round = lb.checkHealth();
            long t0 = System.nanoTime();
            try (Lease lease = lb.pick()) {
                assertThat(lease.address()).isEqualTo(hanging);      // still healthy: the check has not answered
            }
            assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.MILLISECONDS.toNanos(250));
            round.get(5, TimeUnit.SECONDS);
            assertThat(lb.upstreams().get(0).isHealthy()).isFalse();  // timed out = failed
            assertThat(call(lb)).isEqualTo("s2");
        }
    }

    @Test
    void executeRetriesARefusedConnectionOnAnotherUpstream() throws Exception {
        HostAndPort up = server("s1", false);
        HttpServer dead = servers.get(0);
        HostAndPort gone = server("s2", false);
        servers.get(1).stop(0);
        assertThat(dead).isNotNull();
        try (LoadBalancer lb = LoadBalancer.custom("retry").config(LoadBalancerConfig.custom()
                .policy(LoadBalancingPolicy.first()).tryDuration(Duration.ofSeconds(2)).tryInterval(Duration.ofMillis(10))
                .failDuration(Duration.ofSeconds(10)).build())
                .upstreams(List.of(gone, up)).build()) {
            assertThat(call(lb)).isEqualTo("s1");
            assertThat(lb.availableCount()).isEqualTo(1);                 // the refused one is passively down
            assertThat(call(lb)).isEqualTo("s1");
        }
    }
}
