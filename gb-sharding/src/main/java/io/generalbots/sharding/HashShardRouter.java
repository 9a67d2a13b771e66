package io.generalbots.sharding;

import java.util.List;
import java.util.Objects;

import io.generalbots.scaling.Checks;

/**
 * Hash routing over {@code count} shards named {@code shard-0} &hellip; {@code shard-(count-1)}.
 * The key's 64-bit value ({@link ShardKeys#value}) picks the shard:
 * <ul>
 *   <li>{@link ShardAlgorithm#MODULO}: integer keys go to {@code floorMod(key, count)} (so
 *       {@code -1} with 4 shards goes to {@code shard-3}); text keys to
 *       {@code Long.remainderUnsigned(fnv1a64, count)}.</li>
 *   <li>{@link ShardAlgorithm#JUMP}: {@link ShardKeys#jump} over the value's 64 bits (a negative
 *       integer is taken as its two's complement).</li>
 * </ul>
 * Shard names are precomputed: routing does not allocate.
 */
public final class HashShardRouter implements ShardRouter {

    private final ShardAlgorithm algorithm;
    private final boolean jump;
    private final int count;
    private final String[] names;

    /**
     * Creates the router.
     *
     * @param algorithm modulo or jump
     * @param count     the number of shards, 1 to 65536
     */
    public HashShardRouter(ShardAlgorithm algorithm, int count) {
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        this.jump = algorithm == ShardAlgorithm.JUMP;
        this.count = Checks.requireRange("shard-count", count, 1, 65536);
        this.names = new String[count];
        for (int i = 0; i < count; i++) {
            names[i] = ShardNames.hashShard(i);
        }
    }

    /**
     * The index of the shard of an integer key.
     *
     * @param key the key
     * @return 0 to count - 1
     */
    public int shardOf(long key) {
        return jump ? ShardKeys.jump(key, count) : Math.floorMod(key, count);
    }

    /**
     * The index of the shard of a text key.
     *
     * @param key the key
     * @return 0 to count - 1
     */
    public int shardOf(CharSequence key) {
        if (ShardKeys.isInteger(key)) {
            return shardOf(ShardKeys.parseCanonical(key));
        }
        long h = ShardKeys.fnv1a64(key);
        return jump ? ShardKeys.jump(h, count) : (int) Long.remainderUnsigned(h, count);
    }

    @Override
    public String route(long key) {
        return names[shardOf(key)];
    }

    @Override
    public String route(String key) {
        return names[shardOf(key)];
    }

    @Override
    public ShardStrategy strategy() {
        return ShardStrategy.HASH;
    }

    /**
     * The algorithm.
     *
     * @return modulo or jump
     */
    public ShardAlgorithm algorithm() {
        return algorithm;
    }

    /**
     * The number of shards.
     *
     * @return the count
     */
    public int count() {
        return count;
    }

    @Override
    public List<String> targets() {
        return List.of(names);
    }

    @Override
    public String toString() {
        return "HashShardRouter[" + algorithm.name().toLowerCase(java.util.Locale.ROOT) + ", " + count + " shards]";
    }
}
