package io.generalbots.autoscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The builder's checks, without a Redis (the election itself: RedisLeaderElectionIT). */
class RedisLeaderElectionTest {

    @Test
    void badArgumentsAreRefusedNamingThem() {
        assertThatThrownBy(() -> RedisLeaderElection.custom("redis://127.0.0.1:6379", "k", "n").lease(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("lease must be positive, but was PT0S");
        assertThatThrownBy(() -> RedisLeaderElection.custom(null, "k", "n")).hasMessage("url");
        assertThatThrownBy(() -> RedisLeaderElection.custom("redis://127.0.0.1:6379", "k", "n").clientResources(null))
                .hasMessage("resources");
    }

    @Test
    void buildingDoesNotConnect() {
        // port 1 on loopback: nothing listens; the election connects only on its first tryLead()
        try (RedisLeaderElection e = RedisLeaderElection.custom("redis://127.0.0.1:1", "k", "n").build()) {
            assertThat(e.stillLeads()).isFalse();
            assertThat(e.fencingToken()).isZero();
        }
    }
}
