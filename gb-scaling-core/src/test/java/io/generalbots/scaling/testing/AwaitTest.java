package io.generalbots.scaling.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class AwaitTest {

    @Test
    void returnsTheFirstValueThatPasses() {
        AtomicInteger n = new AtomicInteger();
        int v = Await.until("three reads", Duration.ofSeconds(5), n::incrementAndGet, x -> x >= 3);
        assertThat(v).isEqualTo(3);
    }

    @Test
    void aTimeoutNamesWhatWasAwaitedAndTheLastValue() {
        assertThatThrownBy(() -> Await.until("the answer", Duration.ofMillis(30), () -> 41, x -> x == 42))
                .isInstanceOf(AssertionError.class)
                .hasMessage("timed out after PT0.03S waiting for: the answer (last value: 41)");
        assertThatThrownBy(() -> Await.until("never", Duration.ZERO, () -> false))
                .hasMessageContaining("waiting for: never");
    }
}
