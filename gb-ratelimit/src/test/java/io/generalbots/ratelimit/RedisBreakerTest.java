package io.generalbots.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.generalbots.scaling.testing.ManualTicker;
import org.junit.jupiter.api.Test;

class RedisBreakerTest {

    private final ManualTicker ticker = new ManualTicker();
    private final List<String> transitions = new ArrayList<>();
    private final RedisBreaker breaker = new RedisBreaker(3, Duration.ofSeconds(10).toNanos(), ticker,
            (from, to, cause) -> transitions.add(from + "->" + to));

    @Test
    void opensAfterConsecutiveFailuresOnlyAndTriesOnceAfterTheWait() {
        IOException down = new IOException("down");
        breaker.onFailure(down);
        breaker.onFailure(down);
        breaker.onSuccess(); // a success resets the count
        breaker.onFailure(down);
        breaker.onFailure(down);
        assertThat(breaker.tryCall()).isTrue();
        breaker.onFailure(down);
        assertThat(transitions).containsExactly("CLOSED->OPEN");
        assertThat(breaker.tryCall()).isFalse();
        ticker.advance(Duration.ofMillis(9_999));
        assertThat(breaker.tryCall()).isFalse();
        ticker.advance(Duration.ofMillis(1));
        assertThat(breaker.tryCall()).isTrue(); // the trial
        assertThat(breaker.tryCall()).isFalse(); // only one trial at a time
        breaker.onFailure(down);
        assertThat(breaker.state()).isEqualTo(RedisBreaker.State.OPEN);
        ticker.advance(Duration.ofSeconds(10));
        assertThat(breaker.tryCall()).isTrue();
        breaker.onSuccess();
        assertThat(breaker.state()).isEqualTo(RedisBreaker.State.CLOSED);
        assertThat(transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN",
                "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
    }
}
