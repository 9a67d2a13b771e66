package io.generalbots.sharding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigException;

/** A shard strategy of one's own, plugged in by name from config.csv through ServiceLoader. */
class ShardStrategyPluginTest {

    private static ShardSettings parse(String text) {
        return ShardSettings.from(BotConfig.parse("config.csv", text));
    }

    @Test
    void aStrategyNamedInConfigCsvIsFoundAndGivenTheSettings() {
        ShardSettings settings = parse("shard-strategy,Last-Digit\nshard-count,3\n");
        assertThat(settings.strategy()).isEqualTo(ShardStrategy.CUSTOM);
        assertThat(settings.strategyName()).isEqualTo("last-digit");
        ShardRouter router = ShardRouter.of(settings);
        assertThat(LastDigitStrategy.lastSettings).isEqualTo(settings);
        assertThat(router.strategy()).isEqualTo(ShardStrategy.CUSTOM);
        assertThat(router.route(47L)).isEqualTo("shard-1");
        assertThat(router.route("58")).isEqualTo("shard-2");
        assertThat(router.targets()).containsExactly("shard-0", "shard-1", "shard-2");
        assertThat(settings.urlOf("shard-1")).isEqualTo("jdbc:postgresql://localhost:5432/shard_1");
    }

    @Test
    void theShardedDataSourceRoutesEveryKeyThroughThePlugIn() {
        // no server listens on port 1: the pool of the shard the plug-in chose fails, naming that shard
        ShardSettings settings = parse("shard-strategy,last-digit\nshard-count,3\n"
                + "shard-url-template,jdbc:postgresql://127.0.0.1:1/{database}\nshard-connect-timeout,250ms\n");
        try (ShardedDataSource shards = ShardedDataSource.custom(settings).credentials("gb", "x").build()) {
            ShardRouter router = shards.router();
            assertThatThrownBy(() -> shards.getConnection(47L))
                    .isInstanceOfSatisfying(ShardUnavailableException.class,
                            e -> assertThat(e.shard()).isEqualTo("shard-1"))
                    .hasMessageStartingWith("shard shard-1 is unavailable (jdbc:postgresql://127.0.0.1:1/shard_1): ");
            assertThatThrownBy(() -> shards.getConnection("tenant-a"))
                    .isInstanceOf(ShardRoutingException.class)
                    .hasMessage("key \"tenant-a\" is not an integer: last-digit routes integers");
            verify(router).route(47L);
            verify(router).route("tenant-a");
            verifyNoMoreInteractions(router);
            assertThat(shards.openShards()).containsExactly("shard-1");
        }
    }

    @Test
    void anUnknownNameListsTheProvidersOnTheClassPath() {
        assertThatThrownBy(() -> parse("shard-strategy,sharded\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config.csv:1: shard-strategy must be one of tenant, hash, range, geo or a "
                        + "ShardStrategyProvider: last-digit, but was \"sharded\"");
        assertThatThrownBy(() -> ShardSettings.custom().strategy("sharded"))
                .hasMessage("shard-strategy must be one of tenant, hash, range, geo or a ShardStrategyProvider: "
                        + "last-digit, but was \"sharded\"");
        // without a provider on the class path, the message is the one of the built-in names only
        assertThat(ShardSettings.strategyExpectation(List.of())).isEqualTo("one of tenant, hash, range, geo");
    }

    @Test
    void settingsThePlugInRefusesAreAnErrorOnTheStrategysLine() {
        assertThatThrownBy(() -> parse("bot-name,x\nshard-strategy,last-digit\nshard-count,11\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config.csv:2: shard-strategy last-digit cannot route with these settings: "
                        + "last-digit routes to at most 10 shards, but shard-count was 11");
    }

    @Test
    void theBuilderTakesTheNameAndKeepsItInTheValue() {
        ShardSettings custom = ShardSettings.custom().strategy("LAST-DIGIT").count(2).build();
        assertThat(custom.strategy()).isEqualTo(ShardStrategy.CUSTOM);
        assertThat(custom.strategyName()).isEqualTo("last-digit");
        assertThat(custom).isEqualTo(parse("shard-strategy,last-digit\nshard-count,2\n"));
        assertThat(ShardRouter.of(custom).route(9L)).isEqualTo("shard-1");
        assertThat(custom.toBuilder().strategy("hash").build().strategyName()).isEqualTo("hash");
        assertThatThrownBy(() -> ShardSettings.custom().strategy(ShardStrategy.CUSTOM))
                .hasMessage("strategy must be a built-in strategy (choose a ShardStrategyProvider by its name), "
                        + "but was CUSTOM");
    }
}
