package io.generalbots.autoscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigException;
import org.junit.jupiter.api.Test;

class ScalingSettingsKeysTest {

    @Test
    void newKeysHaveDocumentedDefaults() {
        ScalingSettings s = ScalingSettings.ofDefaults();
        assertThat(s.downStabilization()).isEqualTo(Duration.ofSeconds(300));
        assertThat(s.drainTimeout()).isEqualTo(Duration.ofSeconds(30));
        LeaderSettings l = LeaderSettings.from(BotConfig.ofDefaults());
        assertThat(l.kind()).isEqualTo(LeaderSettings.Kind.NONE);
        assertThat(l.key()).isEqualTo("gb-scaling-leader");
        assertThat(l.lease()).as("twice scale-check-interval").isEqualTo(Duration.ofSeconds(60));
        assertThat(LeaderSettings.from(BotConfig.of(java.util.Map.of("scale-check-interval", "5"))).lease())
                .as("at least 15 s").isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void leaderElectionNeedsAMatchingUrl() {
        assertThatThrownBy(() -> LeaderSettings.from(BotConfig.parse("config.csv",
                "scale-leader-election,redis\nscale-leader-url,jdbc:postgresql://db/x\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config.csv:2: scale-leader-url must be a redis:// or rediss:// URL when "
                        + "scale-leader-election is redis, but was \"jdbc:postgresql://db/x\"");
        assertThatThrownBy(() -> LeaderSettings.from(BotConfig.parse("config.csv", "scale-leader-election,postgres\n")))
                .hasMessageContaining("config.csv:1: scale-leader-election postgres needs scale-leader-url");
        assertThatThrownBy(() -> LeaderSettings.from(BotConfig.parse("config.csv",
                "scale-leader-election,etcd\n")))
                .hasMessageContaining("config.csv:1: scale-leader-election must be one of none, single, postgres, redis, "
                        + "but was \"etcd\"");
    }

    @Test
    void theRedisLeaseMustOutliveTwoChecks() {
        assertThatThrownBy(() -> LeaderSettings.from(BotConfig.parse("config.csv",
                "scale-leader-election,redis\nscale-leader-url,redis://127.0.0.1:6379\nscale-leader-lease-seconds,40\n")))
                .hasMessageContaining("config.csv:3: scale-leader-lease-seconds must be at least twice "
                        + "scale-check-interval (30s), since the lease is renewed on every check, but was \"40\"");
    }
}
