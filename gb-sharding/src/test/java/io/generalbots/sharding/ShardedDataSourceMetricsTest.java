package io.generalbots.sharding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.testing.FreePorts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The meters without a database: a shard on a closed loopback port fails, and is timed as an error. */
class ShardedDataSourceMetricsTest {

    @Test
    void acquisitionsAreTimedPerShardAndPoolsGetHikariMeters() {
        int closed = FreePorts.find();
        ShardSettings s = ShardSettings.from(BotConfig.parse("test.csv", "shard-strategy,hash\nshard-count,2\n"
                + "shard-url-template,jdbc:postgresql://127.0.0.1:" + closed + "/{database}\nshard-connect-timeout,1\n"
                + "shard-pool-size,2\nshard-connection-budget,4\n"));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (ShardedDataSource shards = ShardedDataSource.custom(s).build()) {
            ShardedDataSourceMetrics.of(shards).bindTo(meters);
            assertThat(meters.get(ShardedDataSourceMetrics.POOLS_MAX).gauge().value()).isEqualTo(2);
            assertThat(meters.get(ShardedDataSourceMetrics.POOLS_OPEN).gauge().value()).isZero();
            assertThatThrownBy(() -> shards.getConnection(1L)).isInstanceOf(ShardUnavailableException.class);
            var error = meters.get(ShardedDataSourceMetrics.ACQUIRE).tags("shard", "shard-1", "result", "error").timer();
            assertThat(error.count()).isEqualTo(1);
            // the pool's own connection timeout (shard-connect-timeout, 1 s) was spent waiting
            assertThat(error.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(1000);
            assertThat(meters.get(ShardedDataSourceMetrics.ACQUIRE).tags("shard", "shard-0", "result", "ok").timer()
                    .count()).isZero();
            assertThat(meters.get(ShardedDataSourceMetrics.POOLS_OPEN).gauge().value()).isEqualTo(1);
            assertThat(meters.find("hikaricp.connections.max").tag("pool", "shard-1").gauge()).isNotNull();
        }
    }

    @Test
    void tenantStrategyHasOneShardTagAndNoPerPoolMeters() {
        ShardSettings s = ShardSettings.from(BotConfig.parse("test.csv", "shard-strategy,tenant\n"));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (ShardedDataSource shards = ShardedDataSource.custom(s).build()) {
            ShardedDataSourceMetrics.of(shards).bindTo(meters);
            assertThat(meters.find(ShardedDataSourceMetrics.ACQUIRE).timers()).extracting(t -> t.getId().getTag("shard"))
                    .containsOnly(ShardedDataSourceMetrics.TENANT);
            // pools max, pools open, evictions, acquire ok/error, and the simple registry's gauges of
            // the three SLO buckets of each timer; no hikaricp.* meter
            assertThat(meters.getMeters()).hasSize(5 + 2 * 3);
            assertThat(meters.getMeters()).noneMatch(m -> m.getId().getName().startsWith("hikaricp"));
        }
    }
}
