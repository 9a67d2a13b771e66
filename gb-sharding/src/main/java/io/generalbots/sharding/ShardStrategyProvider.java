package io.generalbots.sharding;

/**
 * A shard strategy of your own, chosen in {@code config.csv} by its name
 * ({@code shard-strategy,NAME}, or {@link ShardSettings.Builder#strategy(String)}) and found with
 * {@link java.util.ServiceLoader} through {@link io.generalbots.scaling.Plugins}: list the class in
 * {@code META-INF/services/io.generalbots.sharding.ShardStrategyProvider} (it needs a public
 * no-argument constructor). Its router is then used everywhere a built-in one is:
 * {@link ShardRouter#of(ShardSettings)}, {@link ShardedDataSource}, {@code gb-scale route},
 * {@code gb-scale rebalance} (by sampling keys) and {@code gb-scale check}.
 *
 * <p>The router reads the other {@code shard-*} settings it needs from the {@link ShardSettings}
 * it is given (e.g. {@link ShardSettings#count()}); it must be immutable and thread-safe, like the
 * built-in routers, and its {@link ShardRouter#strategy()} is {@link ShardStrategy#CUSTOM}. Its
 * targets become JDBC URLs as hash and range shards do ({@link ShardSettings#urlOf(String)}:
 * {@code shard-url-NAME}, or the template with {@code shard-host} and the target as database).
 *
 * <p>{@link #router(ShardSettings)} is also called when a file is read
 * ({@link ShardSettings#from}, {@code gb-scale check}) to validate it: make it cheap and free of
 * side effects, and throw {@link IllegalArgumentException} with a message naming the key and the
 * value for settings it cannot route with; the message is reported on the {@code shard-strategy}
 * line.
 */
public interface ShardStrategyProvider {

    /**
     * The strategy's name in {@code config.csv}: lower case letters, digits and {@code -}, and not
     * one of the built-in {@code tenant}, {@code hash}, {@code range}, {@code geo} (those win).
     *
     * @return the name
     */
    String name();

    /**
     * The router of these settings.
     *
     * @param settings the settings, with {@link ShardSettings#strategy()} {@link ShardStrategy#CUSTOM}
     *                 and {@link ShardSettings#strategyName()} this provider's name
     * @return the router; its {@link ShardRouter#strategy()} is {@link ShardStrategy#CUSTOM}
     * @throws IllegalArgumentException if the settings do not suit the strategy
     */
    ShardRouter router(ShardSettings settings);
}
