package io.generalbots.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import io.generalbots.ratelimit.ClientKeyResolver;
import io.generalbots.ratelimit.ClientKeySource;
import io.generalbots.ratelimit.LocalRateLimiter;
import io.generalbots.ratelimit.RateLimitConfig;
import io.generalbots.ratelimit.RateLimitFilter;
import io.generalbots.ratelimit.RateLimitGate;
import io.generalbots.scaling.testing.ManualTicker;
import org.junit.jupiter.api.Test;

/** The servlet filter on a real Jetty 12 (ee10) server. */
class RateLimitServletFilterTest {

    private static final RateLimitConfig LIMITS = RateLimitConfig.custom().requests(2).window(Duration.ofMinutes(1))
            .burst(0).endpoint("chat", 1).build();
    private static final String DENIED_GLOBAL = "{\"type\":\"https://iana.org/assignments/http-problem-types#quota-exceeded\","
            + "\"title\":\"Too Many Requests\",\"status\":429,\"detail\":\"Too many requests for the global limit: 2 per 60 s, in bursts of up to 2.\",\"retry-after\":30,\"policy\":\"global\"}";

    private static RateLimitGate gate(ClientKeyResolver resolver) {
        return RateLimitGate.of(LocalRateLimiter.custom(LIMITS).ticker(new ManualTicker()).build(), resolver);
    }

    @Test
    void answers429WithTheHeadersAndProblemDetailsOfTheJdkFilter() throws Exception {
        RateLimitServletFilter filter = RateLimitServletFilter.of(gate(ClientKeyResolver.custom().build()));
        try (JettyServer jetty = JettyServer.start(c -> JettyServer.filter(c, filter))) {
            HttpResponse<String> first = jetty.get("/api/x");
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.body()).isEqualTo("ok");
            assertThat(first.headers().firstValue("RateLimit-Policy")).hasValue("\"global\";q=3;w=60");
            assertThat(first.headers().firstValue("RateLimit")).hasValue("\"global\";r=1;t=30");
            assertThat(jetty.get("/api/x").statusCode()).isEqualTo(200);
            HttpResponse<String> denied = jetty.get("/api/x");
            assertThat(denied.statusCode()).isEqualTo(429);
            assertThat(denied.headers().firstValue("Retry-After")).hasValue("30");
            assertThat(denied.headers().firstValue("RateLimit")).hasValue("\"global\";r=0;t=30");
            assertThat(denied.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(denied.body()).isEqualTo(DENIED_GLOBAL);
        }
    }

    @Test
    void decidesEveryRequestExactlyAsTheJdkFilter() throws Exception {
        List<String> paths = List.of("/api/chat/send", "/api/chat", "/api/x", "/api/%63hat", "/api/x", "/api/x");
        List<String> jetty = new ArrayList<>();
        RateLimitServletFilter filter = RateLimitServletFilter.of(gate(ClientKeyResolver.custom().build()));
        try (JettyServer server = JettyServer.start(c -> JettyServer.filter(c, filter))) {
            for (String p : paths) {
                jetty.add(describe(server.get(p)));
            }
        }
        List<String> jdk = new ArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/", e -> {
            byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
            e.sendResponseHeaders(200, ok.length);
            e.getResponseBody().write(ok);
            e.close();
        }).getFilters().add(RateLimitFilter.of(gate(ClientKeyResolver.custom().build())));
        server.start();
        try {
            HttpClient client = HttpClient.newHttpClient();
            for (String p : paths) {
                jdk.add(describe(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + server.getAddress().getPort() + p)).build(), HttpResponse.BodyHandlers.ofString())));
            }
        } finally {
            server.stop(0);
        }
        assertThat(jetty).isEqualTo(jdk);
        // the encoded /api/%63hat is /api/chat: it meets the chat limit, it does not slip past it
        assertThat(jetty.get(3)).startsWith("429 ");
    }

    private static String describe(HttpResponse<String> r) {
        Map<String, List<String>> h = r.headers().map();
        return r.statusCode() + " " + h.getOrDefault("ratelimit-policy", List.of()) + " "
                + h.getOrDefault("ratelimit", List.of()) + " " + h.getOrDefault("retry-after", List.of()) + " "
                + (r.statusCode() == 429 ? r.body() : "");
    }

    @Test
    void aForgedForwardedForFromAnUntrustedPeerChangesNothing() throws Exception {
        RateLimitServletFilter filter = RateLimitServletFilter.of(gate(ClientKeyResolver.custom()
                .trustProxy("10.0.0.0/8").build()));
        try (JettyServer jetty = JettyServer.start(c -> JettyServer.filter(c, filter))) {
            assertThat(jetty.get("/api/x", "X-Forwarded-For", "1.1.1.1").statusCode()).isEqualTo(200);
            assertThat(jetty.get("/api/x", "X-Forwarded-For", "2.2.2.2").statusCode()).isEqualTo(200);
            HttpResponse<String> third = jetty.get("/api/x", "X-Forwarded-For", "3.3.3.3", "Forwarded", "for=4.4.4.4");
            assertThat(third.statusCode()).isEqualTo(429);
            assertThat(third.body()).isEqualTo(DENIED_GLOBAL);
        }
    }

    @Test
    void behindATrustedProxyEachForwardedClientHasItsOwnLimit() throws Exception {
        RateLimitServletFilter filter = RateLimitServletFilter.of(gate(ClientKeyResolver.custom()
                .trustProxy("127.0.0.1").build()));
        try (JettyServer jetty = JettyServer.start(c -> JettyServer.filter(c, filter))) {
            for (int i = 0; i < 2; i++) {
                assertThat(jetty.get("/api/x", "X-Forwarded-For", "1.1.1.1").statusCode()).isEqualTo(200);
                assertThat(jetty.get("/api/x", "X-Forwarded-For", "2.2.2.2").statusCode()).isEqualTo(200);
            }
            assertThat(jetty.get("/api/x", "X-Forwarded-For", "1.1.1.1").statusCode()).isEqualTo(429);
            assertThat(jetty.get("/api/x", "X-Forwarded-For", "9.9.9.9, 2.2.2.2").statusCode()).isEqualTo(429);
            assertThat(jetty.get("/api/x", "X-Forwarded-For", "3.3.3.3").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void excludedPathsAreNeverLimited() throws Exception {
        RateLimitServletFilter filter = RateLimitServletFilter.custom(gate(ClientKeyResolver.custom().build()))
                .exclude(List.of("/api/health/")).build();
        try (JettyServer jetty = JettyServer.start(c -> JettyServer.filter(c, filter))) {
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> r = jetty.get("/api/health/ready");
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("RateLimit")).isEmpty();
            }
            assertThat(jetty.get("/api/healthz").headers().firstValue("RateLimit")).hasValue("\"global\";r=1;t=30");
        }
    }

    @Test
    void aGateLimitingByBotIsRefusedWithoutAWayToFindTheBot() {
        RateLimitGate byBot = gate(ClientKeyResolver.custom().by(ClientKeySource.parse("bot")).build());
        String message = "rate-limit-by,bot needs each request's bot, but RateLimitServletFilter cannot tell it and"
                + " would limit every request by its IP: pass how to find it,"
                + " RateLimitServletFilter.custom(gate).bot(request -> BOT_OR_NULL).build() (a request without one"
                + " is limited by its IP)";
        assertThatThrownBy(() -> RateLimitServletFilter.of(byBot))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
        assertThatThrownBy(() -> RateLimitServletFilter.custom(byBot).user(r -> "u").build()).hasMessage(message);
        // by user the principal is the default; by ip nothing is needed
        assertThat(RateLimitServletFilter.of(gate(ClientKeyResolver.custom().by(ClientKeySource.parse("user"))
                .build()))).isNotNull();
        assertThat(RateLimitServletFilter.of(gate(ClientKeyResolver.custom().build()))).isNotNull();
    }

    @Test
    void byBotEachBotHasItsOwnBudgetFromOneIp() throws Exception {
        RateLimitServletFilter filter = RateLimitServletFilter.custom(gate(ClientKeyResolver.custom()
                .by(ClientKeySource.parse("bot")).build())).bot(r -> r.getHeader("X-Bot-Id")).build();
        try (JettyServer jetty = JettyServer.start(c -> JettyServer.filter(c, filter))) {
            assertThat(jetty.get("/api/x", "X-Bot-Id", "a").statusCode()).isEqualTo(200);
            assertThat(jetty.get("/api/x", "X-Bot-Id", "a").statusCode()).isEqualTo(200);
            assertThat(jetty.get("/api/x", "X-Bot-Id", "a").statusCode()).isEqualTo(429);
            assertThat(jetty.get("/api/x", "X-Bot-Id", "b").statusCode()).isEqualTo(200);
            assertThat(jetty.get("/api/x", "X-Bot-Id", "b").statusCode()).isEqualTo(200);
            assertThat(jetty.get("/api/x").statusCode()).as("no bot: by IP").isEqualTo(200);
            assertThat(jetty.get("/api/x", "X-Bot-Id", "b").statusCode()).isEqualTo(429);
        }
    }

    @Test
    void theRemoteAddressIsAnIpLiteralNeverALookup() {
        assertThat(ServletClientRequest.address("[::1]").getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(ServletClientRequest.address("127.0.0.1").getHostAddress()).isEqualTo("127.0.0.1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServletClientRequest.address("example.org"))
                .hasMessage("remote address must be an IP literal, but was \"example.org\"");
    }

    @Test
    void theIpv4FastPathReadsExactlyWhatInetAddressReads() throws Exception {
        for (String literal : List.of("127.0.0.1", "0.0.0.0", "255.255.255.255", "10.0.0.9", "192.168.100.20",
                "1.2.3.4", "100.64.0.1")) {
            assertThat(ServletClientRequest.ipv4(literal)).as(literal)
                    .isEqualTo(java.net.InetAddress.getByName(literal).getAddress());
            assertThat(ServletClientRequest.address(literal).getHostAddress()).isEqualTo(literal);
        }
        // anything else is left to the slow path, which judges it as before
        for (String other : List.of("", ".", "1.2.3", "1.2.3.4.5", "1..2.3", "1.2.3.", ".1.2.3", "256.1.1.1",
                "1.2.3.1000", "01.2.3.4", "1.2.3.04", "::1", "[::1]", "a.b.c.d", "1.2.3.4 ")) {
            assertThat(ServletClientRequest.ipv4(other)).as("'%s'", other).isNull();
        }
    }
}
