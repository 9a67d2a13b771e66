package io.generalbots.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.generalbots.scaling.config.BotConfig;

/** RateLimitSettings is a value: equal by content, changed through a builder. */
class RateLimitSettingsValueTest {

    @Test
    void equalByContentAndTheBuilderChangesOnlyWhatItIsTold() {
        RateLimitSettings a = RateLimitSettings.from(BotConfig.parse("config.csv",
                "rate-limit-requests,50\nrate-limit-api-chat,5\n"));
        RateLimitSettings same = RateLimitSettings.from(BotConfig.parse("config.csv",
                "rate-limit-api-chat,5\nrate-limit-requests,50\n"));
        assertThat(a).isEqualTo(same).hasSameHashCodeAs(same);
        RateLimitSettings b = a.toBuilder().window(Duration.ofSeconds(10)).build();
        assertThat(b.window()).isEqualTo(Duration.ofSeconds(10));
        assertThat(b.requests()).isEqualTo(50);
        assertThat(b.endpoints()).isEqualTo(Map.of("chat", 5L));
        assertThat(b).isNotEqualTo(a);
        assertThat(b.toBuilder().window(a.window()).build()).isEqualTo(a);
        assertThat(RateLimitSettings.custom().build()).isEqualTo(RateLimitSettings.ofDefaults());
        assertThat(a.toString()).startsWith("RateLimitSettings[enabled=true, requests=50, window=PT1M, ")
                .contains(", endpoints={chat=5}, ");
    }
}
