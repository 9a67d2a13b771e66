package io.generalbots.sharding;

/** How keys are routed to shards ({@code shard-strategy}). */
public enum ShardStrategy {
    /** {@code shard-strategy} is not set: no sharding. */
    NONE,
    /** Each tenant has its own database, {@code shard-tenant-db-prefix} + tenant id. */
    TENANT,
    /** {@code shard-count} shards chosen by {@code shard-algorithm} over the key. */
    HASH,
    /** Inclusive key ranges ({@code shard-ranges}). */
    RANGE,
    /** A host per region ({@code shard-geo-REGION}, {@code shard-default}). */
    GEO,
    /**
     * A strategy of your own: a {@link ShardStrategyProvider} found by the name
     * {@code shard-strategy} gives ({@link ShardSettings#strategyName()}).
     */
    CUSTOM
}
