package io.generalbots.sharding;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.generalbots.scaling.config.BotConfig;
import org.junit.jupiter.api.Test;

/** The builder's checks, without a database (the data source itself: ShardedDataSourceIT). */
class ShardedDataSourceTest {

    private static final ShardSettings HASH = ShardSettings.from(BotConfig.parse("test.csv", "shard-strategy,hash\n"));

    @Test
    void theThreadOptionsNameTheirNullArgument() {
        assertThatThrownBy(() -> ShardedDataSource.custom(HASH).scheduler(null))
                .isInstanceOf(NullPointerException.class).hasMessage("scheduler");
        assertThatThrownBy(() -> ShardedDataSource.custom(HASH).threadFactory(null))
                .isInstanceOf(NullPointerException.class).hasMessage("threadFactory");
    }
}
