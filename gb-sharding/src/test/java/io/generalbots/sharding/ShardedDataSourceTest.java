package io.generalbots.sharding;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.generalbots.scaling.config.BotConfig;
import org.junit.jupiter.api.Test;

/** The builder's checks, without a database (the data source itself: ShardedDataSourceIT). */
class ShardedDataSourceTest {

    private static final ShardSettings HASH = ShardSettings.from(BotConfig.parse("test.csv", "shard-strategy,hash\n"));

    @Test
    void aSchedulerAndAThreadFactoryAreNotBothTaken() {
        ScheduledExecutorService host = Executors.newSingleThreadScheduledExecutor();
        try {
            assertThatThrownBy(() -> ShardedDataSource.custom(HASH).scheduler(host)
                    .threadFactory(Executors.defaultThreadFactory()).build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("ShardedDataSource takes a scheduler or a threadFactory, not both: with the host's "
                            + "scheduler it makes no thread");
        } finally {
            host.shutdownNow();
        }
    }

    @Test
    void theThreadOptionsNameTheirNullArgument() {
        assertThatThrownBy(() -> ShardedDataSource.custom(HASH).scheduler(null))
                .isInstanceOf(NullPointerException.class).hasMessage("scheduler");
        assertThatThrownBy(() -> ShardedDataSource.custom(HASH).threadFactory(null))
                .isInstanceOf(NullPointerException.class).hasMessage("threadFactory");
    }
}
