package io.generalbots.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigException;
import io.generalbots.scaling.testing.ManualTicker;

/** A rate-limit backend of one's own, plugged in by name from config.csv through ServiceLoader. */
class RateLimiterPluginTest {

    private static RateLimitSettings parse(String text) {
        return RateLimitSettings.from(BotConfig.parse("config.csv", text));
    }

    private static ClientRequest from(String ip) throws UnknownHostException {
        InetAddress address = InetAddress.getByName(ip);
        return new ClientRequest() {
            @Override
            public InetAddress remoteAddress() {
                return address;
            }

            @Override
            public List<String> headers(String name) {
                return List.of();
            }
        };
    }

    @Test
    void aBackendNamedInConfigCsvDecidesEveryRequestTheGateChecks() throws UnknownHostException {
        RateLimitSettings settings = parse("rate-limit-backend,Fixed-Quota\nrate-limit-requests,2\nrate-limit-api-chat,5\n");
        assertThat(settings.backend()).contains("fixed-quota");
        ManualTicker ticker = new ManualTicker();
        RateLimiter limiter = RateLimiters.of(settings, "api", ticker);
        // the provider is handed the settings, the name and the ticker of the call
        assertThat(FixedQuotaBackend.lastSettings).isSameAs(settings);
        assertThat(FixedQuotaBackend.lastName).isEqualTo("api");
        assertThat(FixedQuotaBackend.lastTicker).isSameAs(ticker);

        ClientKeyResolver resolver = ClientKeyResolver.of(settings);
        RateLimitGate gate = RateLimitGate.of(limiter, resolver);
        ClientRequest client = from("203.0.113.7");
        assertThat(gate.check(client, "/api/chat/send").allowed()).isTrue();
        assertThat(gate.check(client, "/api/chat/send").allowed()).isTrue();
        RateLimitGate.Result third = gate.check(client, "/api/chat/send");
        assertThat(third.status()).isEqualTo(429);
        assertThat(third.decision().source()).isEqualTo(RateLimitDecision.Source.CUSTOM);
        assertThat(third.decision().retryAfterSeconds()).isEqualTo(60);
        // the gate asks the plug-in once per request, with the client's key and the path's endpoint
        verify(limiter, times(3)).decide(resolver.resolve(client), "chat");
    }

    @Test
    void disabledWinsOverTheBackendAndTheDefaultsStayLocalOrRedis() {
        FixedQuotaBackend.lastSettings = null;
        assertThat(RateLimiters.of(parse("rate-limit-enabled,false\nrate-limit-backend,fixed-quota\n")))
                .isSameAs(RateLimiter.disabled());
        assertThat(FixedQuotaBackend.lastSettings).isNull();
        RateLimitSettings unset = parse("");
        assertThat(unset.backend()).isEmpty();
        try (RateLimiter local = RateLimiters.of(unset)) {
            assertThat(local).isInstanceOf(LocalRateLimiter.class);
        }
        RateLimitSettings local = parse("rate-limit-backend,LOCAL\nrate-limit-redis,127.0.0.1:1\n");
        assertThat(local.backend()).contains("local");
        try (RateLimiter limiter = RateLimiters.of(local)) {
            assertThat(limiter).isInstanceOf(LocalRateLimiter.class);
        }
        assertThat(BotConfig.parse("config.csv", "rate-limit-backend,local\nrate-limit-redis,127.0.0.1:1\n")
                .validate(false).problems()).extracting(Object::toString)
                .containsExactly("config.csv:2: warning: rate-limit-redis has no effect with rate-limit-backend local");
    }

    @Test
    void anUnknownNameListsTheProvidersAndRedisNeedsItsNodes() {
        assertThatThrownBy(() -> parse("rate-limit-backend,hazelcast\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config.csv:1: rate-limit-backend must be one of local, redis or a "
                        + "RateLimiterProvider: fixed-quota, but was \"hazelcast\"");
        // without a provider on the class path, the message names the built-in backends only
        assertThat(RateLimiters.backendExpectation(List.of())).isEqualTo("one of local, redis");
        assertThatThrownBy(() -> parse("rate-limit-backend,redis\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config.csv:1: rate-limit-backend redis needs rate-limit-redis (HOST:PORT,...), "
                        + "but it is not set");
        assertThatThrownBy(() -> RateLimiters.of(RateLimitSettings.custom().backend("hazelcast").build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("rate-limit-backend hazelcast names a RateLimiterProvider that is not on the class path");
    }

    @Test
    void decisionsOfAPlugInAreCheckedLikeEveryOther() {
        assertThatThrownBy(() -> RateLimitDecision.allowed("global", 10, 10, 60_000_000, 11, 0))
                .hasMessage("remaining must be from 0 to 10, but was 11");
        assertThatThrownBy(() -> RateLimitDecision.denied("global", 10, 10, 60_000_000, 0))
                .hasMessage("retryAfterMicros must be from 1 to 9223372036854775807, but was 0");
        RateLimitDecision denied = RateLimitDecision.denied("chat", 5, 5, 60_000_000, 1_500_000);
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.policy()).isEqualTo("chat");
        assertThat(denied.retryAfterSeconds()).isEqualTo(2);
        assertThat(denied.remaining()).isZero();
        assertThat(denied.rate()).isEqualTo(5);
        assertThatThrownBy(() -> RateLimitDecision.allowed("global", 10, 0, 60_000_000, 1, 0))
                .hasMessage("rate must be from 1 to 9223372036854775807, but was 0");
    }
}
