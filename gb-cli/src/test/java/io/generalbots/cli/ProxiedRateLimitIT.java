package io.generalbots.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.generalbots.ratelimit.LocalRateLimiter;
import io.generalbots.ratelimit.RateLimitFilter;
import io.generalbots.ratelimit.RateLimitGate;
import io.generalbots.ratelimit.RateLimitSettings;
import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.testing.FreePorts;
import io.generalbots.scaling.testing.ManualTicker;
import io.generalbots.scaling.testing.ServerProcess;

/**
 * The real Caddy 2.6 (Debian) running the file that {@code gb-scale caddyfile} renders, in front
 * of a JDK HttpServer whose {@link RateLimitFilter} is built from the same {@code config.csv}.
 * Clients connect from distinct loopback addresses (127.0.0.2, 127.0.0.3, …), so Caddy sees each
 * as a distinct real client; the backend sees only Caddy (127.0.0.1). The limiter's clock never
 * moves (a manual ticker): a client's budget of 3 is spent for good.
 */
class ProxiedRateLimitIT {

    static Path dir;
    static Path configFile;
    static ServerProcess caddy;
    static HttpServer backend;
    static ExecutorService executor;
    static int sitePort;
    /** The rate-limit filter in force, replaced by each test. */
    static volatile Filter limitFilter;
    /** Statuses the backend answered to Caddy's active health checks (no X-Forwarded-For), in order. */
    static final List<Integer> healthChecks = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startBackendAndCaddy() throws Exception {
        String caddyBinary = ServerProcess.requireBinary("caddy"); // fails loudly when missing
        dir = Files.createDirectories(Path.of("target", "proxied-ratelimit-it").toAbsolutePath());
        int backendPort = FreePorts.find();
        sitePort = FreePorts.find();
        int adminPort = FreePorts.find();
        configFile = dir.resolve("config.csv");
        Files.writeString(configFile, String.join("\n",
                "name,value",
                "scale-proxy-site,http://127.0.0.1:" + sitePort,
                "scale-proxy-bind,127.0.0.1",
                "scale-proxy-admin,127.0.0.1:" + adminPort,
                "scale-proxy-try-duration,0",
                "health-interval,1",
                "health-timeout,1",
                "rate-limit-requests,3",
                "rate-limit-burst,0",
                "rate-limit-window,1h",
                "") + "\n");

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = GbScale.run(new PrintWriter(out), new PrintWriter(err), "caddyfile", configFile.toString(),
                "--upstreams", "127.0.0.1:" + backendPort);
        assertThat(code).as(err.toString()).isZero();
        Path caddyfile = dir.resolve("Caddyfile");
        Files.writeString(caddyfile, out.toString());

        limitFilter = gate(""); // until a test sets its own
        backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), backendPort), 64);
        backend.createContext("/", ProxiedRateLimitIT::answer); // /ws and the rest: not limited, as in the seed
        backend.createContext("/api/", ProxiedRateLimitIT::answer).getFilters().addAll(List.of(new HealthRecorder(),
                new Filter() {
                    @Override
                    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
                        limitFilter.doFilter(exchange, chain);
                    }

                    @Override
                    public String description() {
                        return "the current test's rate limiter";
                    }
                }));
        executor = Executors.newFixedThreadPool(4);
        backend.setExecutor(executor);
        backend.start();

        caddy = new ServerProcess("caddy-proxied-ratelimit", List.of("env",
                "XDG_CONFIG_HOME=" + dir.resolve("config"), "XDG_DATA_HOME=" + dir.resolve("data"),
                caddyBinary, "run", "--config", caddyfile.toString(), "--adapter", "caddyfile")).launch();
        caddy.awaitReady("the site answering /api/health", () -> {
            try {
                return send("127.0.0.1", "/api/health").status() == 200;
            } catch (UncheckedIOException e) {
                return false;
            }
        }, Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (caddy != null) {
            caddy.close();
        }
        if (backend != null) {
            backend.stop(0);
            executor.shutdownNow();
        }
    }

    /** A fresh limiter (3 per hour, no burst, a clock that never moves) from config.csv plus extra lines. */
    static Filter gate(String extraLines) {
        try {
            BotConfig config = BotConfig.parse("config.csv", Files.readString(configFile) + extraLines);
            RateLimitSettings settings = RateLimitSettings.from(config);
            LocalRateLimiter limiter = LocalRateLimiter.custom(settings.toConfig()).ticker(new ManualTicker()).build();
            return RateLimitFilter.of(RateLimitGate.of(limiter, settings));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Echoes the forwarding headers the backend received. */
    static void answer(HttpExchange exchange) throws IOException {
        String body = exchange.getRequestURI().getPath().equals("/api/health") ? "{\"status\":\"healthy\"}"
                : "xff=" + header(exchange, "X-Forwarded-For") + " xri=" + header(exchange, "X-Real-IP")
                + " fwd=" + header(exchange, "Forwarded");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream o = exchange.getResponseBody()) {
            o.write(bytes);
        }
    }

    static String header(HttpExchange exchange, String name) {
        List<String> values = exchange.getRequestHeaders().get(name);
        return values == null ? "-" : String.join("|", values);
    }

    /** Records what the backend answered Caddy's own health checks (the only requests without X-Forwarded-For). */
    static final class HealthRecorder extends Filter {
        @Override
        public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
            chain.doFilter(exchange);
            if (exchange.getRequestURI().getPath().equals("/api/health")
                    && !exchange.getRequestHeaders().containsKey("X-Forwarded-For")) {
                healthChecks.add(exchange.getResponseCode());
            }
        }

        @Override
        public String description() {
            return "records the answers to Caddy's active health checks";
        }
    }

    record Response(int status, Map<String, String> headers, String body) {
    }

    /**
     * One HTTP/1.1 request to the proxy from a given loopback address, with extra header lines.
     *
     * @param from    the client's address, e.g. 127.0.0.2
     * @param path    the path
     * @param headers header lines such as {@code Forwarded: for=1.2.3.4}
     * @return the response
     */
    static Response send(String from, String path, String... headers) {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), sitePort), 5000);
            socket.setSoTimeout(15_000);
            StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + sitePort
                    + "\r\nConnection: close\r\n");
            for (String h : headers) {
                request.append(h).append("\r\n");
            }
            socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            return parse(socket.getInputStream().readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("request from " + from + " to " + path + " failed", e);
        }
    }

    static Response parse(byte[] raw) throws IOException {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IOException("no complete response: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        String body = text.substring(end + 4);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new Response(status, headers, new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }

    static String dechunk(String body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (true) {
            int eol = body.indexOf("\r\n", i);
            int size = Integer.parseInt(body.substring(i, eol).split(";")[0].trim(), 16);
            if (size == 0) {
                return out.toString(StandardCharsets.ISO_8859_1);
            }
            out.writeBytes(body.substring(eol + 2, eol + 2 + size).getBytes(StandardCharsets.ISO_8859_1));
            i = eol + 2 + size + 2;
        }
    }

    /** {@code A} for an answer from the backend (200), {@code D} for a 429; anything else fails. */
    static String outcomes(String from, int n, java.util.function.IntFunction<String[]> headers) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            Response r = send(from, "/api/chat", headers.apply(i));
            assertThat(r.status()).as("request %d from %s: %s", i, from, r.body()).isIn(200, 429);
            sb.append(r.status() == 200 ? 'A' : 'D');
        }
        return sb.toString();
    }

    @Test
    void behindTheRenderedCaddyNoForgedForwardingHeaderGivesAClientAFreshBudget() {
        limitFilter = gate("rate-limit-trusted-proxies,127.0.0.1\n"); // the default header: X-Forwarded-For

        // the backend sees the address Caddy saw, whatever the client sent
        Response echoed = send("127.0.0.2", "/api/chat", "Forwarded: for=198.51.100.1", "X-Forwarded-For: 198.51.100.2",
                "X-Real-IP: 198.51.100.3");
        assertThat(echoed.status()).isEqualTo(200);
        assertThat(echoed.body()).isEqualTo("xff=127.0.0.2 xri=127.0.0.2 fwd=-");

        // 127.0.0.2 has 2 requests left; rotating any forwarding header changes nothing
        assertThat(outcomes("127.0.0.2", 10, i -> new String[] {"Forwarded: for=198.51.100." + (10 + i)}))
                .isEqualTo("AADDDDDDDD");
        assertThat(outcomes("127.0.0.3", 10, i -> new String[] {"X-Forwarded-For: 198.51.100." + (10 + i)}))
                .isEqualTo("AAADDDDDDD");
        assertThat(outcomes("127.0.0.4", 10, i -> new String[] {"X-Real-IP: 198.51.100." + (10 + i)}))
                .isEqualTo("AAADDDDDDD");
        assertThat(outcomes("127.0.0.5", 10, i -> new String[] {"Forwarded: for=\"[2001:db8::" + i + "]\"",
                "X-Forwarded-For: 203.0.113." + i, "X-Real-IP: 203.0.113." + i})).isEqualTo("AAADDDDDDD");
        // distinct real clients are not merged: each of them got its own 3, and a new one still has them
        assertThat(outcomes("127.0.0.6", 4, i -> new String[0])).isEqualTo("AAAD");
        // the denial names the policy with what it guarantees
        Response denied = send("127.0.0.6", "/api/chat");
        assertThat(denied.status()).isEqualTo(429);
        assertThat(denied.headers().get("ratelimit-policy")).isEqualTo("\"global\";q=5;w=3600");
        assertThat(denied.headers().get("ratelimit")).isEqualTo("\"global\";r=0;t=1200");
    }

    @Test
    void withXRealIpChosenTheRenderedCaddyKeepsRotatingClientsLimitedToo() {
        limitFilter = gate("rate-limit-trusted-proxies,127.0.0.1\nrate-limit-client-ip-header,x-real-ip\n");
        assertThat(outcomes("127.0.0.7", 6, i -> new String[] {"X-Real-IP: 198.51.100." + i}))
                .isEqualTo("AAADDD");
        assertThat(outcomes("127.0.0.8", 6, i -> new String[] {"Forwarded: for=198.51.100." + i}))
                .isEqualTo("AAADDD");
        assertThat(outcomes("127.0.0.9", 6, i -> new String[] {"X-Forwarded-For: 198.51.100." + i}))
                .isEqualTo("AAADDD");
    }

    @Test
    void aBusyClientDoesNotStarveCaddysHealthChecks() {
        // no trusted proxies (the default): every client behind Caddy shares Caddy's address, and so do
        // Caddy's own active health checks
        limitFilter = gate("");
        assertThat(outcomes("127.0.0.10", 5, i -> new String[0])).isEqualTo("AAADD");
        assertThat(outcomes("127.0.0.11", 2, i -> new String[0])).isEqualTo("DD"); // shared key, as documented

        // wait for two rounds of Caddy's checks (every second, on /ws* and /api/*) after the budget is gone
        int mark = healthChecks.size();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (healthChecks.size() < mark + 4) {
            assertThat(System.nanoTime()).as("Caddy ran no health checks; log:\n" + caddy.tail()).isLessThan(deadline);
            sleep(100);
        }
        List<Integer> after = new ArrayList<>(healthChecks.subList(mark, healthChecks.size()));
        assertThat(after).as("answers to Caddy's health checks after the budget was gone").containsOnly(200);

        // so Caddy still sends traffic to the instance (with every instance marked unhealthy, Caddy
        // answers 503 itself), and the health report answers through it
        Response ws = send("127.0.0.12", "/ws");
        assertThat(ws.status()).as(ws.body()).isEqualTo(200);
        assertThat(ws.body()).isEqualTo("xff=127.0.0.12 xri=127.0.0.12 fwd=-");
        for (String path : List.of("/api/health", "/api/health/ready", "/api/health/live")) {
            Response health = send("127.0.0.10", path);
            assertThat(health.status()).as(path + ": " + health.body()).isEqualTo(200);
            assertThat(health.headers()).as(path).doesNotContainKey("ratelimit");
        }
        assertThat(send("127.0.0.10", "/api/chat").status()).isEqualTo(429);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
