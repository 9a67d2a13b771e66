package io.generalbots.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.generalbots.ratelimit.ClientKeyResolver;
import io.generalbots.ratelimit.ClientKeySource;
import io.generalbots.ratelimit.RateLimitGate;
import io.generalbots.ratelimit.RateLimiter;

/** What the WebFlux filter accepts (its decisions are tested on Netty, in the starter's IT modules). */
class GbRateLimitWebFilterTest {

    private static RateLimitGate gate(String by) {
        return RateLimitGate.of(RateLimiter.disabled(), ClientKeyResolver.custom().by(ClientKeySource.parse(by)).build());
    }

    @Test
    void aGateLimitingByBotIsRefusedWithoutABotResolver() {
        assertThatThrownBy(() -> new GbRateLimitWebFilter(gate("bot"), List.of(), -90))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rate-limit-by,bot needs each request's bot, but GbRateLimitWebFilter cannot tell it and"
                        + " would limit every request by its IP: pass how to find it, new GbRateLimitWebFilter(gate,"
                        + " excluded, order, (request, path) -> BOT_OR_NULL) (a request without one is limited by its IP)");
        assertThat(new GbRateLimitWebFilter(gate("bot"), List.of(), -90, (request, path) -> null)).isNotNull();
        assertThat(new GbRateLimitWebFilter(gate("user"), List.of(), -90)).isNotNull();
        assertThat(new GbRateLimitWebFilter(gate("ip"), List.of(), -90)).isNotNull();
    }
}
