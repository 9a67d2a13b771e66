package io.generalbots.sharding;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.sharding.qdrant.QdrantSettings;

/** The settings of gb-sharding are values: equal by content, changed through a builder. */
class ShardSettingsValueTest {

    private static ShardSettings parse(String text) {
        return ShardSettings.from(BotConfig.parse("config.csv", text));
    }

    @Test
    void shardSettingsAreEqualByContentAndTheBuilderChangesOnlyWhatItIsTold() {
        ShardSettings a = parse("shard-strategy,hash\nshard-count,8\n");
        ShardSettings same = parse("shard-count,8\nshard-strategy,hash\n");
        assertThat(a).isEqualTo(same).hasSameHashCodeAs(same).isNotSameAs(same);
        assertThat(a.toBuilder().build()).isEqualTo(a);
        ShardSettings b = a.toBuilder().count(16).build();
        assertThat(b.count()).isEqualTo(16);
        assertThat(b).isNotEqualTo(a).isEqualTo(b.toBuilder().build());
        assertThat(b.toBuilder().count(8).build()).isEqualTo(a);
        assertThat(ShardRouter.of(b).route(17L)).isEqualTo("shard-1");
        assertThat(ShardSettings.custom().build()).isEqualTo(ShardSettings.ofDefaults());
        assertThat(a.toString()).startsWith("ShardSettings[strategy=HASH, ").contains(", count=8, ")
                .endsWith(", hotspotRatio=1.2]");
    }

    @Test
    void qdrantSettingsAreEqualByContentAndTheBuilderChangesOnlyWhatItIsTold() {
        QdrantSettings a = QdrantSettings.from(BotConfig.parse("config.csv", "qdrant-host,qdrant-0\n"));
        assertThat(a).isEqualTo(QdrantSettings.custom().host(java.util.Optional.of("qdrant-0")).build())
                .hasSameHashCodeAs(a.toBuilder().build());
        QdrantSettings slow = a.withTimeout(Duration.ofSeconds(30));
        assertThat(slow.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(slow).isNotEqualTo(a).isEqualTo(a.toBuilder().timeout(Duration.ofSeconds(30)).build());
    }
}
