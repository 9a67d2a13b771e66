package io.generalbots.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigException;
import org.junit.jupiter.api.Test;

class RateLimitSettingsTest {

    @Test
    void seedDefaultsAndEndpoints() {
        RateLimitSettings s = RateLimitSettings.from(BotConfig.parse("config.csv", """
                name,value
                rate-limit-enabled,true
                rate-limit-requests,100
                rate-limit-window,60
                rate-limit-burst,20
                rate-limit-by,ip
                rate-limit-api-chat,30
                rate-limit-api-files,50
                rate-limit-api-auth,10
                """));
        assertThat(s.enabled()).isTrue();
        assertThat(s.window()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.endpoints()).containsExactly(Map.entry("chat", 30L), Map.entry("files", 50L), Map.entry("auth", 10L));
        assertThat(s.by()).isEqualTo(ClientKeySource.IP);
        assertThat(s.failureMode()).isEqualTo(FailureMode.LOCAL);
        assertThat(s.redisTimeout()).isEqualTo(Duration.ofMillis(50));
        assertThat(s.ipv6Prefix()).isEqualTo(64);
        assertThat(s.redisNodes()).isEmpty();
        assertThat(s.toConfig().endpoints()).containsEntry("auth", 10L);
        RateLimitSettings d = RateLimitSettings.ofDefaults();
        assertThat(d.requests()).isEqualTo(100);
        assertThat(d.burst()).isEqualTo(20);
        assertThat(RateLimiters.of(d, "x", io.generalbots.scaling.Ticker.system())).isInstanceOf(LocalRateLimiter.class);
        try (io.generalbots.scaling.testing.CapturedLog log = io.generalbots.scaling.testing.CapturedLog.open()) {
            RateLimiter off = RateLimiters.of(RateLimitSettings.from(BotConfig.parse("c.csv", "rate-limit-enabled,false\n")));
            assertThat(off).isSameAs(RateLimiter.disabled());
            assertThat(off.decide("k", "chat").allowed()).isTrue();
            assertThat(off).hasToString("RateLimiter.disabled()");
            assertThat(log.linesContaining("RateLimiters")).containsExactly("[main] INFO io.generalbots.ratelimit."
                    + "RateLimiters - rate limiter 'gbrl' is disabled (rate-limit-enabled,false): every request is allowed");
        }
    }

    @Test
    void everyBadValueIsReportedTogether() {
        assertThatThrownBy(() -> RateLimitSettings.from(BotConfig.parse("config.csv", """
                rate-limit-requests,0
                rate-limit-by,cookie
                rate-limit-api-chat,-3
                rate-limit-trusted-proxies,10.0.0.0/8,proxy.local
                rate-limit-failure-mode,maybe
                """)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config.csv:1: rate-limit-requests must be an integer from 1 to 100000, but was \"0\"")
                .hasMessageContaining("config.csv:2: rate-limit-by must be one of ip, user, bot, header:NAME, but was \"cookie\"")
                .hasMessageContaining("config.csv:3: rate-limit-api-chat must be an integer from 1 to 100000, but was \"-3\"")
                .hasMessageContaining("config.csv:4: rate-limit-trusted-proxies must be a comma-separated list of IP"
                        + " addresses or CIDR ranges, but was \"10.0.0.0/8,proxy.local\"")
                .hasMessageContaining("config.csv:5: rate-limit-failure-mode must be one of local, open, closed, but was \"maybe\"");
    }

    @Test
    void clientIpHeaderDefaultsToWhatTheRenderedProxySetsAndIsOneOfThree() {
        assertThat(RateLimitSettings.ofDefaults().clientIpHeader()).isEqualTo(ClientIpHeader.X_FORWARDED_FOR);
        assertThat(RateLimitSettings.from(BotConfig.parse("config.csv", "rate-limit-client-ip-header,X-Real-IP\n"))
                .clientIpHeader()).isEqualTo(ClientIpHeader.X_REAL_IP);
        assertThat(RateLimitSettings.from(BotConfig.parse("config.csv", "rate-limit-client-ip-header,forwarded\n"))
                .clientIpHeader()).isEqualTo(ClientIpHeader.FORWARDED);
        assertThatThrownBy(() -> RateLimitSettings.from(BotConfig.parse("config.csv",
                "rate-limit-trusted-proxies,10.0.0.1\nrate-limit-client-ip-header,cf-connecting-ip\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config.csv:2: rate-limit-client-ip-header must be one of x-forwarded-for, forwarded,"
                        + " x-real-ip, but was \"cf-connecting-ip\"");
    }

    @Test
    void healthPathsAndTheHealthEndpointAreExempt() {
        assertThat(RateLimitSettings.ofDefaults().exemptPaths()).containsExactlyInAnyOrder("/api/health",
                "/api/health/ready", "/api/health/live", "/ready", "/live");
        assertThat(RateLimitSettings.from(BotConfig.parse("config.csv", "health-endpoint,/healthz/\n")).exemptPaths())
                .containsExactlyInAnyOrder("/api/health", "/api/health/ready", "/api/health/live", "/ready", "/live",
                        "/healthz", "/healthz/ready", "/healthz/live");
    }

    @Test
    void aHealthEndpointWithCaddyPlaceholdersIsRefused() {
        assertThatThrownBy(() -> RateLimitSettings.from(BotConfig.parse("config.csv",
                "rate-limit-requests,10\nhealth-endpoint,/api/{$ADMIN_TOKEN}\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config.csv:2: health-endpoint must be a path without { or } (Caddy expands {...}"
                        + " placeholders such as {$VAR} in the Caddyfile it is rendered into), but was"
                        + " \"/api/{$ADMIN_TOKEN}\"");
    }

    @Test
    void capacityTooLargeForExactRedisArithmeticIsRejected() {
        assertThatThrownBy(() -> RateLimitSettings.from(BotConfig.parse("config.csv", """
                rate-limit-requests,100000
                rate-limit-burst,100000
                rate-limit-window,24h
                """))).hasMessageContaining("config.csv:1: rate-limit-requests must be such that (rate-limit-requests"
                + " + rate-limit-burst) × rate-limit-window stays below 2^53 microseconds, but was \"100000\"");
    }
}
