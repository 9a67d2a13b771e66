package io.generalbots.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import io.generalbots.failover.postgres.PostgresFailoverSettings;
import io.generalbots.failover.postgres.PrimaryDiscoveryMode;
import io.generalbots.failover.redis.CacheSettings;
import io.generalbots.scaling.config.BotConfig;

/** The settings of gb-failover with many keys are values: equal by content, changed through a builder. */
class SettingsValuesTest {

    @Test
    void cacheSettingsAreEqualByContentAndTheBuilderChangesOnlyWhatItIsTold() {
        CacheSettings a = CacheSettings.from(BotConfig.parse("config.csv", "cache-mode,cluster\ncache-nodes,r1:6379,r2:6379\n"));
        CacheSettings same = CacheSettings.from(BotConfig.parse("config.csv", "cache-nodes,r1:6379,r2:6379\ncache-mode,cluster\n"));
        assertThat(a).isEqualTo(same).hasSameHashCodeAs(same);
        CacheSettings b = a.toBuilder().timeout(Duration.ofMillis(250)).build();
        assertThat(b.timeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(b.nodes()).isEqualTo(a.nodes()).hasSize(2);
        assertThat(b).isNotEqualTo(a);
        assertThat(b.toBuilder().timeout(a.timeout()).build()).isEqualTo(a);
        assertThat(CacheSettings.custom().build()).isEqualTo(CacheSettings.ofDefaults());
        assertThat(CacheSettings.ofDefaults().mode()).isEqualTo(CacheSettings.Mode.STANDALONE);
        assertThat(a.toString()).startsWith("CacheSettings[mode=CLUSTER, ");
    }

    @Test
    void postgresFailoverSettingsAreEqualByContentAndTheBuilderChangesOnlyWhatItIsTold() {
        PostgresFailoverSettings a = PostgresFailoverSettings.from(BotConfig.parse("config.csv",
                "shard-primary-discovery,patroni\nshard-primary-hosts,pg1,pg2\n"));
        assertThat(a).isEqualTo(a.toBuilder().build()).hasSameHashCodeAs(a.toBuilder().build());
        PostgresFailoverSettings b = a.toBuilder().readPool(true).readMaxLag(OptionalLong.of(1024)).build();
        assertThat(b.readMaxLag()).hasValue(1024);
        assertThat(b.discovery()).isEqualTo(PrimaryDiscoveryMode.PATRONI);
        assertThat(b).isNotEqualTo(a);
        assertThat(PostgresFailoverSettings.custom().build()).isEqualTo(PostgresFailoverSettings.ofDefaults());
        assertThat(PostgresFailoverSettings.ofDefaults().configured()).isFalse();
        assertThat(a.toString()).startsWith("PostgresFailoverSettings[discovery=PATRONI, hosts=[");
    }
}
