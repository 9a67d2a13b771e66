package io.generalbots.sharding;

import java.util.List;

/**
 * Routes a key to its target: a shard name ({@code shard-1}, {@code shard2}) for hash and range
 * routing, a host for geo routing, a database name for tenant routing. Routers are immutable and
 * thread-safe; routing a {@code long} does not allocate.
 *
 * <p>Build one from settings with {@link #of(ShardSettings)}. A strategy of your own implements
 * this interface and is plugged in by name with a {@link ShardStrategyProvider}.
 */
public interface ShardRouter {

    /**
     * The target of an integer key.
     *
     * @param key the key
     * @return the target
     * @throws ShardRoutingException if the key cannot be routed
     */
    String route(long key);

    /**
     * The target of a text key. A canonical integer ({@code "12345"}) routes as that integer;
     * see {@link ShardKeys}.
     *
     * @param key the key
     * @return the target
     * @throws ShardRoutingException if the key cannot be routed
     */
    String route(String key);

    /**
     * The target of an {@code int} key: the same as the {@code long}.
     *
     * @param key the key
     * @return the target
     */
    default String route(int key) {
        return route((long) key);
    }

    /**
     * The strategy of this router.
     *
     * @return the strategy
     */
    ShardStrategy strategy();

    /**
     * Every target this router can return, when that set is finite (hash, range, geo); empty for
     * tenants.
     *
     * @return the targets, in order
     */
    List<String> targets();

    /**
     * The router the settings describe: a built-in one, or for {@link ShardStrategy#CUSTOM} the
     * router of the {@link ShardStrategyProvider} named {@link ShardSettings#strategyName()}.
     *
     * @param settings the settings
     * @return the router
     * @throws IllegalStateException if {@code shard-strategy} is not set, or names a provider that is
     *                               not on the class path
     */
    static ShardRouter of(ShardSettings settings) {
        return switch (settings.strategy()) {
            case HASH -> new HashShardRouter(settings.algorithm(), settings.count());
            case RANGE -> new RangeShardRouter(settings.ranges());
            case GEO -> new GeoShardRouter(settings.geoHosts(), settings.defaultHost());
            case TENANT -> new TenantShardRouter(settings.tenantDbPrefix(), settings.tenantStrict());
            case CUSTOM -> {
                ShardStrategyProvider provider = ShardSettings.provider(settings.strategyName())
                        .orElseThrow(() -> new IllegalStateException("shard-strategy " + settings.strategyName()
                                + " names a ShardStrategyProvider that is not on the class path"));
                ShardRouter router = provider.router(settings);
                if (router == null) {
                    throw new IllegalStateException("ShardStrategyProvider " + provider.name() + " returned no router");
                }
                yield router;
            }
            case NONE -> throw new IllegalStateException("shard-strategy is not set: it must be one of tenant, hash, "
                    + "range, geo to route keys");
        };
    }
}
