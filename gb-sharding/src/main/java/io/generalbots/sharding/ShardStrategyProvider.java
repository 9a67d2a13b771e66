package io.generalbots.sharding;

/**
 * A shard strategy of your own, chosen in {@code config.csv} by its name
 * ({@code shard-strategy,NAME}) and found with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/io.generalbots.sharding.ShardStrategyProvider}. Its router is then used
 * everywhere a built-in one is: {@link ShardRouter#of(ShardSettings)}, {@link ShardedDataSource},
 * {@code gb-scale route} and {@code gb-scale check}.
 *
 * <p>The router reads the other {@code shard-*} settings it needs from the {@link ShardSettings}
 * it is given (e.g. {@code shard-count}); it must be immutable and thread-safe, like the built-in
 * routers.
 */
public interface ShardStrategyProvider {

    /**
     * The strategy's name in {@code config.csv}: lower case letters, digits and {@code -}, and not
     * one of the built-in {@code tenant}, {@code hash}, {@code range}, {@code geo}.
     *
     * @return the name
     */
    String name();

    /**
     * The router of these settings.
     *
     * @param settings the settings, with {@link ShardSettings#strategy()} {@link ShardStrategy#CUSTOM}
     * @return the router; its {@link ShardRouter#strategy()} is {@link ShardStrategy#CUSTOM}
     */
    ShardRouter router(ShardSettings settings);
}
