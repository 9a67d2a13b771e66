package io.generalbots.balance.caddy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.generalbots.balance.ProxySettings;
import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.scaling.health.HealthSettings;

/** Every rendered Caddyfile is checked with the real {@code caddy adapt} (Caddy 2.6, Debian). */
class CaddyfileIT {

    static final List<HostAndPort> THREE = List.of(new HostAndPort("botserver-1", 8080),
            new HostAndPort("botserver-2", 8080), new HostAndPort("10.0.0.3", 8081));

    static List<JsonNode> reverseProxies(JsonNode json) {
        List<JsonNode> out = new ArrayList<>();
        walk(json, "", out);
        return out;
    }

    private static void walk(JsonNode node, String path, List<JsonNode> out) {
        if (node.isObject() && "reverse_proxy".equals(node.path("handler").asText())) {
            out.add(node);
        }
        node.forEach(child -> walk(child, path, out));
    }

    /** The route (path matcher → its reverse_proxy handler) of the site's subroute. */
    static JsonNode handlerFor(JsonNode json, String pathMatcher) {
        JsonNode routes = json.at("/apps/http/servers/srv0/routes/0/handle/0/routes");
        for (JsonNode route : routes) {
            JsonNode match = route.path("match");
            boolean matches = pathMatcher == null ? match.isMissingNode()
                    : match.path(0).path("path").path(0).asText().equals(pathMatcher);
            if (matches && route.path("handle").path(0).path("handler").asText().equals("subroute")) {
                return route.at("/handle/0/routes/0/handle/0");
            }
        }
        throw new AssertionError("no route for " + pathMatcher + " in " + routes);
    }

    @Test
    void defaultFileIsAcceptedAndHasTheSeedsRoutesDoneRight() {
        String text = Caddyfile.from(ProxySettings.from(BotConfig.ofDefaults()), HealthSettings.from(BotConfig.ofDefaults()))
                .upstreams(THREE).build().render();
        CaddyRunner.Adapted adapted = CaddyRunner.adapt(text);
        assertThat(adapted.exitCode()).as(adapted.output() + "\n" + text).isZero();
        JsonNode json = adapted.json();
        assertThat(json.at("/admin/listen").asText()).isEqualTo("localhost:2019");
        assertThat(json.at("/apps/http/servers/srv0/routes/0/match/0/host/0").asText()).isEqualTo("bot.example.com");

        JsonNode ws = handlerFor(json, "/ws*");
        assertThat(ws.at("/load_balancing/selection_policy/policy").asText()).isEqualTo("cookie");
        assertThat(ws.at("/health_checks/active/uri").asText()).isEqualTo("/api/health");
        assertThat(ws.at("/health_checks/active/interval").asLong()).isEqualTo(Duration.ofSeconds(10).toNanos());
        assertThat(ws.at("/health_checks/active/timeout").asLong()).isEqualTo(Duration.ofSeconds(5).toNanos());
        assertThat(ws.at("/load_balancing/try_duration").asLong()).isEqualTo(Duration.ofSeconds(5).toNanos());

        JsonNode api = handlerFor(json, "/api/*");
        assertThat(api.at("/load_balancing/selection_policy/policy").asText()).isEqualTo("round_robin");
        assertThat(api.at("/health_checks/active/uri").asText()).isEqualTo("/api/health");
        assertThat(api.at("/health_checks/passive/fail_duration").asLong()).isEqualTo(Duration.ofSeconds(30).toNanos());
        assertThat(api.path("upstreams").findValuesAsText("dial"))
                .containsExactly("botserver-1:8080", "botserver-2:8080", "10.0.0.3:8081");

        JsonNode health = handlerFor(json, "/api/health");
        assertThat(health.at("/load_balancing/selection_policy/policy").asText()).isEqualTo("first");
        JsonNode statics = handlerFor(json, null);
        assertThat(statics.at("/load_balancing/selection_policy/policy").asText()).isEqualTo("first");
        assertThat(reverseProxies(json)).hasSize(4);

        JsonNode headers = json.at("/apps/http/servers/srv0/routes/0/handle/0/routes/0/handle/0/response");
        assertThat(headers.at("/delete/0").asText()).isEqualTo("Server");
        assertThat(headers.at("/set/X-Content-Type-Options/0").asText()).isEqualTo("nosniff");
        assertThat(headers.at("/set/X-Frame-Options/0").asText()).isEqualTo("DENY");
        assertThat(headers.at("/set/Referrer-Policy/0").asText()).isEqualTo("strict-origin-when-cross-origin");
        assertThat(text).doesNotContain("rate_limit").doesNotContain("auto_https").doesNotContain("upstream botserver");
    }

    @Test
    void everyProxyPassesTheClientAddressAsCaddySawItAndNothingAClientForged() {
        String text = Caddyfile.from(ProxySettings.from(BotConfig.ofDefaults()), HealthSettings.from(BotConfig.ofDefaults()))
                .upstreams(THREE).build().render();
        CaddyRunner.Adapted adapted = CaddyRunner.adapt(text);
        assertThat(adapted.exitCode()).as(adapted.output() + "\n" + text).isZero();
        // no "Unnecessary header_up" warning: X-Forwarded-For is left to Caddy, which replaces a client's own
        assertThat(adapted.output()).doesNotContain("header_up");
        List<JsonNode> proxies = reverseProxies(adapted.json());
        assertThat(proxies).hasSize(4).allSatisfy(proxy -> {
            assertThat(proxy.at("/headers/request/delete").toString()).isEqualTo("[\"Forwarded\"]");
            assertThat(proxy.at("/headers/request/set").toString())
                    .isEqualTo("{\"X-Real-Ip\":[\"{http.request.remote.host}\"]}");
            assertThat(proxy.at("/trusted_proxies").isMissingNode()).isTrue();
        });
    }

    @Test
    void valuesThatCaddyWouldExpandAsPlaceholdersAreRefusedNamingKeyAndValue() {
        BotConfig config = BotConfig.of(Map.of("health-endpoint", "/api/health"));
        assertThatThrownBy(() -> Caddyfile.custom().health(new HealthSettings(true, "/api/{$ADMIN_TOKEN}",
                Duration.ofSeconds(10), Duration.ofSeconds(5), 3)))
                .hasMessage("health-endpoint must be a path without { or } (Caddy expands {...} placeholders such as"
                        + " {$VAR} in the Caddyfile it is rendered into), but was \"/api/{$ADMIN_TOKEN}\"");
        assertThatThrownBy(() -> Caddyfile.custom().health(new HealthSettings(true, "/h}", Duration.ofSeconds(10),
                Duration.ofSeconds(5), 3))).hasMessageEndingWith(", but was \"/h}\"");
        assertThatThrownBy(() -> Caddyfile.custom().cookieSecret("s3{$HOME}"))
                .hasMessage("scale-proxy-cookie-secret must be a text without { or } (Caddy expands {...} placeholders"
                        + " such as {$VAR} in the Caddyfile it is rendered into), but was a secret of 9 characters (not shown)");
        // the same values in config.csv are errors at their line
        assertThatThrownBy(() -> HealthSettings.from(BotConfig.parse("config.csv",
                "health-interval,10\nhealth-endpoint,/api/{$ADMIN_TOKEN}\n")))
                .hasMessage("config.csv:2: health-endpoint must be a path without { or } (Caddy expands {...}"
                        + " placeholders such as {$VAR} in the Caddyfile it is rendered into), but was"
                        + " \"/api/{$ADMIN_TOKEN}\"");
        assertThatThrownBy(() -> ProxySettings.from(BotConfig.parse("config.csv", "scale-proxy-cookie-secret,a{b}c\n")))
                .hasMessage("config.csv:1: scale-proxy-cookie-secret must be a text without { or } (Caddy expands"
                        + " {...} placeholders such as {$VAR} in the Caddyfile it is rendered into), but was a secret of"
                        + " 5 characters (not shown)");
        assertThat(Caddyfile.from(ProxySettings.from(config), HealthSettings.from(config)).upstreams(THREE).build()
                .render()).doesNotContain("{$");
    }

    @Test
    void configKeysReachTheFile() {
        BotConfig config = BotConfig.of(Map.of("scale-proxy-site", "http://127.0.0.1:18080", "scale-proxy-bind", "127.0.0.1",
                "scale-proxy-admin", "127.0.0.1:12019", "scale-proxy-try-duration", "1500ms",
                "scale-proxy-cookie-secret", "s3\"cret", "health-endpoint", "/healthz", "health-interval", "2",
                "health-timeout", "1", "scale-proxy-fail-duration", "0"));
        String text = Caddyfile.from(ProxySettings.from(config), HealthSettings.from(config))
                .upstreams(List.of(new HostAndPort("::1", 9000))).build().render();
        CaddyRunner.Adapted adapted = CaddyRunner.adapt(text);
        assertThat(adapted.exitCode()).as(adapted.output() + "\n" + text).isZero();
        JsonNode json = adapted.json();
        assertThat(json.at("/admin/listen").asText()).isEqualTo("127.0.0.1:12019");
        assertThat(json.at("/apps/http/servers/srv0/listen/0").asText()).isEqualTo("127.0.0.1:18080");
        JsonNode ws = handlerFor(json, "/ws*");
        assertThat(ws.at("/load_balancing/selection_policy/secret").asText()).isEqualTo("s3\"cret");
        assertThat(ws.at("/load_balancing/selection_policy/name").asText()).isEqualTo("lb");
        assertThat(ws.at("/health_checks/active/uri").asText()).isEqualTo("/healthz");
        assertThat(ws.at("/health_checks/active/interval").asLong()).isEqualTo(Duration.ofSeconds(2).toNanos());
        assertThat(ws.at("/load_balancing/try_duration").asLong()).isEqualTo(Duration.ofMillis(1500).toNanos());
        assertThat(ws.at("/health_checks/passive").isMissingNode()).isTrue();
        assertThat(ws.at("/upstreams/0/dial").asText()).isEqualTo("[::1]:9000");
        assertThat(handlerFor(json, "/healthz")).isNotNull();
    }

    @Test
    void healthDisabledMeansNoActiveChecks() {
        BotConfig config = BotConfig.of(Map.of("health-enabled", "false"));
        String text = Caddyfile.from(ProxySettings.from(config), HealthSettings.from(config)).upstreams(THREE).build().render();
        CaddyRunner.Adapted adapted = CaddyRunner.adapt(text);
        assertThat(adapted.exitCode()).as(adapted.output()).isZero();
        assertThat(reverseProxies(adapted.json())).allSatisfy(h -> assertThat(h.at("/health_checks/active").isMissingNode()).isTrue());
    }

    @Test
    void adminOffIsRenderedWithAWarningAndCaddyAcceptsIt() {
        String text = Caddyfile.custom().adminOff().upstreams(THREE).build().render();
        assertThat(text).contains("# WARNING: admin off: upstreams cannot be changed live, and \"caddy reload\" fails too.");
        CaddyRunner.Adapted adapted = CaddyRunner.adapt(text);
        assertThat(adapted.exitCode()).as(adapted.output()).isZero();
        assertThat(adapted.json().at("/admin/disabled").asBoolean()).isTrue();
    }

    @Test
    void rateLimitZonesAreRenderedOnlyWhenAskedAndNeedThePlugin() {
        String text = Caddyfile.custom().upstreams(THREE)
                .rateLimitZone(RateLimitZone.global("global", "{remote_host}", 100, Duration.ofMinutes(1)))
                .rateLimitZone(new RateLimitZone("api-auth", List.of("/api/auth"), "{remote_host}", 10, Duration.ofSeconds(60)))
                .build().render();
        assertThat(text).contains("\torder rate_limit before basicauth\n")
                .contains("\t\tzone global {\n\t\t\tkey {remote_host}\n\t\t\tevents 100\n\t\t\twindow 1m\n\t\t}\n")
                .contains("\t\tzone api-auth {\n\t\t\tmatch {\n\t\t\t\tpath /api/auth /api/auth/*\n\t\t\t}\n");
        // stock Caddy 2.6 does not know the directive: the file needs caddy-ratelimit
        CaddyRunner.Adapted adapted = CaddyRunner.adapt(text);
        assertThat(adapted.exitCode()).isNotZero();
        assertThat(adapted.output()).contains("rate_limit");
        // ... and it is the only thing stock Caddy objects to
        String withoutPlugin = text.replace("\torder rate_limit before basicauth\n", "")
                .replaceAll("(?s)\n\trate_limit \\{.*?\n\t}\n", "\n");
        CaddyRunner.Adapted stock = CaddyRunner.adapt(withoutPlugin);
        assertThat(stock.exitCode()).as(stock.output() + "\n" + withoutPlugin).isZero();
    }

    @Test
    void badValuesAreRefusedWithTheValue() {
        assertThatThrownBy(() -> Caddyfile.custom().build())
                .hasMessage("upstreams must be at least one HOST:PORT, but was []");
        assertThatThrownBy(() -> Caddyfile.custom().site("bot.example.com {"))
                .hasMessage("site must be a Caddy site address such as bot.example.com, :443 or http://127.0.0.1:8080, "
                        + "but was bot.example.com {");
        assertThatThrownBy(() -> Caddyfile.custom().admin(new HostAndPort("0.0.0.0", 2019)))
                .hasMessage("admin must be a loopback address (localhost, 127.0.0.1, [::1]), but was 0.0.0.0:2019");
        assertThatThrownBy(() -> Caddyfile.custom().upstreams(List.of(new HostAndPort("a{b}", 1))))
                .hasMessage("upstream must be a host name or IP address, but was a{b}:1");
        assertThatThrownBy(() -> new RateLimitZone("x", List.of(), "remote_host", 5, Duration.ofSeconds(1)))
                .hasMessage("zone key must be a Caddy placeholder such as {remote_host}, but was remote_host");
        assertThatThrownBy(() -> Caddyfile.custom().cookieSecret("a\nb"))
                .hasMessage("cookie secret must be one line of text, but was (3 characters)");
    }

    @Test
    void goDurations() {
        assertThat(Caddyfile.go(Duration.ofSeconds(5))).isEqualTo("5s");
        assertThat(Caddyfile.go(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(Caddyfile.go(Duration.ofHours(1))).isEqualTo("1h");
        assertThat(Caddyfile.go(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(Caddyfile.go(Duration.ZERO)).isEqualTo("0s");
    }
}
