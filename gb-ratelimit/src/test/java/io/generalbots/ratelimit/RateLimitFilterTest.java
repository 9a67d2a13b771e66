package io.generalbots.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import io.generalbots.scaling.testing.ManualTicker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class RateLimitFilterTest {

    @Test
    void answers429WithHeadersAndProblemDetailsAndCountsDecisions() throws Exception {
        ManualTicker ticker = new ManualTicker();
        RateLimitConfig config = RateLimitConfig.custom().requests(100).window(Duration.ofMinutes(1)).burst(20)
                .endpoint("auth", 2).build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RateLimiter limiter = LocalRateLimiter.custom(config).name("demo").ticker(ticker).build();
        RateLimitMetrics.of(limiter).bindTo(registry);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        HttpContext api = server.createContext("/api/", exchange -> {
            byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        api.getFilters().add(RateLimitFilter.of(RateLimitGate.of(limiter, ClientKeyResolver.custom().build())));
        server.start();
        try {
            HttpClient client = HttpClient.newHttpClient();
            URI auth = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/auth/login");
            HttpRequest spoofed = HttpRequest.newBuilder(auth).header("X-Forwarded-For", "9.9.9.9").build();
            HttpResponse<String> first = client.send(spoofed, HttpResponse.BodyHandlers.ofString());
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.headers().firstValue("RateLimit-Policy")).hasValue("\"global\";q=219;w=60, \"auth\";q=3;w=60");
            assertThat(first.headers().firstValue("RateLimit")).hasValue("\"auth\";r=1;t=30");
            client.send(spoofed, HttpResponse.BodyHandlers.ofString());
            // a new spoofed address from the same untrusted peer is still the same client
            HttpResponse<String> denied = client.send(HttpRequest.newBuilder(auth).header("X-Forwarded-For", "8.8.8.8")
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(denied.statusCode()).isEqualTo(429);
            assertThat(denied.headers().firstValue("Retry-After")).hasValue("30");
            assertThat(denied.headers().firstValue("RateLimit")).hasValue("\"auth\";r=0;t=30");
            assertThat(denied.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(denied.body()).isEqualTo("{\"type\":\"https://iana.org/assignments/http-problem-types#quota-exceeded\","
                    + "\"title\":\"Too Many Requests\",\"status\":429,\"detail\":\"Too many requests for the auth limit: 2"
                    + " per 60 s, in bursts of up to 2.\",\"retry-after\":30,\"policy\":\"auth\"}");
            // other paths only see the global limit
            HttpResponse<String> chat = client.send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + server.getAddress().getPort() + "/api/chat")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(chat.statusCode()).isEqualTo(200);
            assertThat(chat.headers().firstValue("RateLimit")).hasValue("\"global\";r=117;t=1");
            assertThat(registry.get("gb.ratelimit.decisions").tag("outcome", "denied").tag("policy", "auth")
                    .tag("source", "local").counter().count()).isEqualTo(1);
            assertThat(registry.get("gb.ratelimit.decisions").tag("outcome", "allowed").tag("policy", "auth")
                    .tag("source", "local").counter().count()).isEqualTo(2);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aBusyClientThatExhaustedItsBudgetDoesNotMakeTheHealthEndpointsAnswer429() throws Exception {
        ManualTicker ticker = new ManualTicker();
        RateLimitSettings settings = RateLimitSettings.from(io.generalbots.scaling.config.BotConfig.parse("config.csv",
                "rate-limit-requests,3\nrate-limit-burst,0\nrate-limit-window,1h\nhealth-endpoint,/healthz\n"));
        RateLimiter limiter = LocalRateLimiter.custom(settings.toConfig()).ticker(ticker).build();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        RateLimitFilter filter = RateLimitFilter.of(RateLimitGate.of(limiter, settings));
        for (String context : new String[] {"/api/", "/ready", "/live", "/healthz"}) {
            server.createContext(context, exchange -> {
                byte[] ok = exchange.getRequestURI().getPath().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, ok.length);
                exchange.getResponseBody().write(ok);
                exchange.close();
            }).getFilters().add(filter);
        }
        server.start();
        try {
            HttpClient client = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            StringBuilder outcomes = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                outcomes.append(client.send(HttpRequest.newBuilder(URI.create(base + "/api/chat")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode()).append(' ');
            }
            assertThat(outcomes.toString()).isEqualTo("200 200 200 429 429 ");
            for (String path : new String[] {"/api/health", "/api/health/ready", "/api/health/live", "/ready", "/live",
                    "/healthz", "/healthz/ready", "/healthz/live"}) {
                for (int i = 0; i < 3; i++) {
                    HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(health.statusCode()).as(path).isEqualTo(200);
                    assertThat(health.body()).isEqualTo(path);
                    assertThat(health.headers().firstValue("RateLimit")).as(path).isEmpty();
                    assertThat(health.headers().firstValue("RateLimit-Policy")).as(path).isEmpty();
                }
            }
            // exact paths only: what is below or beside them is limited as usual
            for (String path : new String[] {"/api/health/x", "/api/healthz", "/api/chat"}) {
                assertThat(client.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode()).as(path).isEqualTo(429);
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theGateLetsExemptPathsThroughWithoutCounting() {
        RateLimiter limiter = LocalRateLimiter.custom(RateLimitConfig.custom().requests(1).burst(0).build())
                .ticker(new ManualTicker()).build();
        RateLimitGate gate = RateLimitGate.of(limiter, ClientKeyResolver.custom().build(), java.util.List.of("/status"));
        ClientRequest request = ClientKeyResolverTest.request("192.0.2.1", java.util.Map.of(), null);
        assertThat(gate.check(request, "/api/chat").allowed()).isTrue();
        assertThat(gate.check(request, "/api/chat").allowed()).isFalse();
        for (String path : new String[] {"/api/health", "/ready", "/live", "/status"}) {
            RateLimitGate.Result r = gate.check(request, path);
            assertThat(r.allowed()).as(path).isTrue();
            assertThat(r.exempt()).as(path).isTrue();
            assertThat(r.status()).isZero();
            assertThat(r.headers()).isEmpty();
            assertThat(gate.checkAsync(request, path).toCompletableFuture().join().exempt()).isTrue();
        }
        assertThat(gate.check(request, "/api/chat").exempt()).isFalse();
        assertThat(RateLimitGate.healthPaths("/healthz/")).containsExactlyInAnyOrder("/api/health",
                "/api/health/ready", "/api/health/live", "/ready", "/live", "/healthz", "/healthz/ready", "/healthz/live");
    }

    @Test
    void limitingByUserWithAFilterThatCannotTellTheUserIsRefusedNotQuietlyByIp() {
        RateLimitSettings byUser = RateLimitSettings.from(io.generalbots.scaling.config.BotConfig.parse("config.csv",
                "rate-limit-by,user\n"));
        RateLimiter limiter = LocalRateLimiter.custom(byUser.toConfig()).build();
        RateLimitGate gate = RateLimitGate.of(limiter, byUser);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RateLimitFilter.of(gate))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rate-limit-by is user, but RateLimitFilter.of(gate) cannot tell a request's user and would"
                        + " limit every request by its IP: pass how to find it, RateLimitFilter.of(gate, exchange ->"
                        + " USER_OR_NULL, exchange -> BOT_OR_NULL) (a request without one is limited by its IP)");
        assertThat(RateLimitFilter.of(gate, exchange -> exchange.getRequestHeaders().getFirst("X-User"), exchange -> null))
                .isNotNull();
        RateLimitGate byBot = RateLimitGate.of(limiter, ClientKeyResolver.custom()
                .by(ClientKeySource.parse("bot")).build());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RateLimitFilter.of(byBot))
                .hasMessageStartingWith("rate-limit-by is bot, but RateLimitFilter.of(gate) cannot tell a request's bot");
    }
}
