package io.generalbots.balance.caddy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.scaling.health.HealthSettings;
import io.generalbots.scaling.testing.Await;
import io.generalbots.scaling.testing.FreePorts;
import io.generalbots.scaling.testing.ServerProcess;

/**
 * The real thing: Caddy 2.6 (Debian) started on loopback ports with its admin API, in front of
 * three small backends, running the Caddyfile that {@link Caddyfile} renders.
 */
class CaddyProxyIT {

    static final Duration HEALTH_INTERVAL = Duration.ofSeconds(1);
    static TestBackend b1;
    static TestBackend b2;
    static TestBackend b3;
    static ServerProcess caddy;
    static int sitePort;
    static HostAndPort admin;
    static CaddyUpstreamSync sync;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startCaddyAndBackends() throws Exception {
        String caddyBinary = ServerProcess.requireBinary("caddy");
        b1 = new TestBackend("b1", FreePorts.find()).start();
        b2 = new TestBackend("b2", FreePorts.find()).start();
        b3 = new TestBackend("b3", FreePorts.find()).start();
        sitePort = FreePorts.find();
        admin = new HostAndPort("127.0.0.1", FreePorts.find());
        String text = Caddyfile.custom()
                .site("http://127.0.0.1:" + sitePort).bind("127.0.0.1").admin(admin)
                .upstreams(List.of(b1.address(), b2.address(), b3.address()))
                .health(new HealthSettings(true, "/api/health", HEALTH_INTERVAL, HEALTH_INTERVAL, 0))
                .tryDuration(Duration.ofSeconds(3)).failDuration(Duration.ofSeconds(2))
                .cookieSecret("it-secret").build().render();
        Path dir = Files.createDirectories(Path.of("target", "caddy-it").toAbsolutePath());
        Path file = dir.resolve("Caddyfile");
        Files.writeString(file, text);
        caddy = new ServerProcess("caddy-balance", List.of("env", "XDG_CONFIG_HOME=" + dir.resolve("config"),
                "XDG_DATA_HOME=" + dir.resolve("data"), caddyBinary, "run", "--config", file.toString(),
                "--adapter", "caddyfile")).launch();
        caddy.awaitReady("site and admin API", () -> get("/api/x").isPresent()
                && adminAnswers(), Duration.ofSeconds(30));
        sync = CaddyUpstreamSync.of(admin);
    }

    static boolean adminAnswers() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + admin + "/config/")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @AfterAll
    static void stop() {
        if (caddy != null) {
            caddy.close();
        }
        for (TestBackend b : new TestBackend[] {b1, b2, b3}) {
            if (b != null) {
                b.close();
            }
        }
    }

    /**
     * Every test starts from the same cluster, whatever ran before: three healthy backends in
     * Caddy's upstreams, each receiving requests again.
     */
    @BeforeEach
    void reset() {
        b2.healthStatus = 200;
        if (!b3.isRunning()) {
            b3 = new TestBackend("b3", b3.port).start();
        }
        sync.setUpstreams(List.of(b1.address(), b2.address(), b3.address()));
        for (TestBackend b : List.of(b1, b2, b3)) {
            awaitShare(b, true);
        }
        for (TestBackend b : List.of(b1, b2, b3)) {
            b.requests.set(0);
        }
    }

    static Optional<HttpResponse<String>> get(String path, String... headers) {
        try {
            HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sitePort + path))
                    .timeout(Duration.ofSeconds(10));
            if (headers.length > 0) {
                r.headers(headers);
            }
            return Optional.of(HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    static HttpResponse<String> ok(String path, String... headers) {
        HttpResponse<String> r = get(path, headers).orElseThrow(() -> new AssertionError("no answer for " + path));
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return r;
    }

    @Test
    void roundRobinSpreads300RequestsEvenly() {
        for (int i = 0; i < 300; i++) {
            ok("/api/chat");
        }
        assertThat(List.of(b1.requests.get(), b2.requests.get(), b3.requests.get())).containsExactly(100, 100, 100);
    }

    @Test
    void securityHeadersAreSet() {
        HttpResponse<String> r = ok("/api/x");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("strict-origin-when-cross-origin");
        assertThat(r.headers().firstValue("Server")).isEmpty();
    }

    @Test
    void websocketRequestsWithTheCookieStickToOneBackend() {
        HttpResponse<String> first = ok("/ws");
        String setCookie = first.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("lb=");
        String cookie = setCookie.split(";")[0];
        String pinned = first.body();
        for (int i = 0; i < 30; i++) {
            assertThat(ok("/ws/socket", "Cookie", cookie).body()).isEqualTo(pinned);
        }
        TestBackend pinnedBackend = List.of(b1, b2, b3).stream().filter(b -> b.name.equals(pinned)).findFirst().orElseThrow();
        assertThat(pinnedBackend.requests.get()).isEqualTo(31);
    }

    @Test
    void anUnhealthyBackendStopsReceivingWithinTheHealthIntervalAndComesBack() throws Exception {
        b2.healthStatus = 503;
        awaitShare(b2, false);   // the next active check (every second) takes it out
        b2.requests.set(0);
        for (int i = 0; i < 60; i++) {
            ok("/api/x");
        }
        assertThat(b2.requests.get()).isZero();
        b2.healthStatus = 200;
        awaitShare(b2, true);
    }

    /** Waits until the clients have sent {@code n} more requests (a hang fails after a minute). */
    static void awaitMore(AtomicInteger sent, int n) {
        int target = sent.get() + n;
        Await.until("clients sending " + n + " more requests", Duration.ofSeconds(60), () -> sent.get() >= target);
    }

    /** Sends batches of 30 until the backend gets some (or none) of a batch; the time that took. */
    static Duration awaitShare(TestBackend backend, boolean receiving) {
        long start = System.nanoTime();
        Await.until(backend.name + (receiving ? " receiving again" : " left out"), Duration.ofSeconds(60), () -> {
            backend.requests.set(0);
            for (int i = 0; i < 30; i++) {
                ok("/api/x");
            }
            return (backend.requests.get() > 0) == receiving;
        });   // a hang, not a speed limit
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Test
    void aKilledBackendLosesNoRequestAndComesBackWhenRestarted() throws Exception {
        b3.kill();
        long killedAt = System.nanoTime();
        // requests during and after the kill all succeed: Caddy retries on another instance
        while (System.nanoTime() - killedAt < HEALTH_INTERVAL.toNanos() * 2) {
            assertThat(ok("/api/x").body()).isIn("b1", "b2");
        }
        b3 = new TestBackend("b3", b3.port).start();
        Await.until("restarted backend gets requests again", Duration.ofSeconds(60), () -> {
            ok("/api/x");
            return b3.requests.get() > 0;
        });
    }

    @Test
    void replacingTheUpstreamsLiveWhileAClientSendsLosesNoRequest() throws Exception {
        assertThat(sync.reverseProxyHandlers()).hasSize(4);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger sent = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            Thread client = new Thread(() -> {
                while (!stop.get()) {
                    Optional<HttpResponse<String>> r = get("/api/x");
                    sent.incrementAndGet();
                    if (r.isEmpty() || r.get().statusCode() != 200) {
                        failures.add(r.map(x -> x.statusCode() + " " + x.body()).orElse("no answer"));
                    } else {
                        seen.computeIfAbsent(r.get().body(), k -> new AtomicInteger()).incrementAndGet();
                    }
                }
            });
            client.start();
            clients.add(client);
        }
        try {
            // counted in requests the clients made, not in time: a slow machine runs longer
            awaitMore(sent, 30);
            assertThat(sync.setUpstreams(List.of(b1.address(), b3.address()))).hasSize(4);
            awaitMore(sent, 30);
            sync.setUpstreams(List.of(b2.address()));
            awaitMore(sent, 30);   // every request in flight at the switch has long completed
            seen.clear();
            awaitMore(sent, 50);
            assertThat(seen.keySet()).containsExactly("b2");
            sync.setUpstreams(List.of(b1.address(), b2.address(), b3.address()));
            awaitMore(sent, 60);
        } finally {
            stop.set(true);
            for (Thread c : clients) {
                c.join(15_000);
            }
        }
        assertThat(failures).isEmpty();
        assertThat(sent.get()).isGreaterThan(50);
        assertThat(seen.keySet()).contains("b1", "b3");
    }

    @Test
    void syncRefusesAnEmptyListAndAnUnreachableAdmin() {
        assertThatThrownBy(() -> sync.setUpstreams(List.of()))
                .hasMessageStartingWith("upstreams must be at least one HOST:PORT");
        int closed = FreePorts.find();
        assertThatThrownBy(() -> CaddyUpstreamSync.of(new HostAndPort("127.0.0.1", closed)).setUpstreams(List.of(b1.address())))
                .isInstanceOf(CaddyAdminException.class)
                .hasMessage("caddy admin API at 127.0.0.1:" + closed + " is unreachable (ConnectException): is Caddy "
                        + "running, with its admin endpoint on that address (not \"admin off\")?");
    }
}
