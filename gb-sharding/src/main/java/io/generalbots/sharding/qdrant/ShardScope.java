package io.generalbots.sharding.qdrant;

import java.util.Objects;
import java.util.Optional;

/**
 * Which shards a request goes to. With {@code qdrant-sharding-method,custom} every request names a
 * shard key ({@link #key(String)}, a tenant or region); a request without one is refused rather
 * than sent to every shard, unless the caller asks for that with {@link #allShards()} (searches
 * only: a write always needs its key). With auto sharding, requests name no key ({@link #none()}).
 */
public final class ShardScope {

    private static final ShardScope NONE = new ShardScope(null, false);
    private static final ShardScope ALL = new ShardScope(null, true);

    private final String key;
    private final boolean allShards;

    private ShardScope(String key, boolean allShards) {
        this.key = key;
        this.allShards = allShards;
    }

    /**
     * The shards of one shard key.
     *
     * @param shardKey a tenant or region: letters, digits, '_' or '-'
     * @return the scope
     * @throws IllegalArgumentException if the key is not valid
     */
    public static ShardScope key(String shardKey) {
        return new ShardScope(CollectionNames.requireShardKey(shardKey), false);
    }

    /**
     * No shard key: right for auto-sharded collections, refused for custom-sharded ones.
     *
     * @return the scope
     */
    public static ShardScope none() {
        return NONE;
    }

    /**
     * Every shard, asked for explicitly: a search fans out to all shard keys.
     *
     * @return the scope
     */
    public static ShardScope allShards() {
        return ALL;
    }

    /**
     * The scope for an optional key: the key's shards, or {@link #none()}.
     *
     * @param shardKey the key, if any
     * @return the scope
     */
    public static ShardScope of(Optional<String> shardKey) {
        Objects.requireNonNull(shardKey, "shardKey");
        return shardKey.map(ShardScope::key).orElse(NONE);
    }

    /**
     * The shard key, if this scope names one.
     *
     * @return the key
     */
    public Optional<String> shardKey() {
        return Optional.ofNullable(key);
    }

    /**
     * Whether the caller asked for every shard.
     *
     * @return true for {@link #allShards()}
     */
    public boolean isAllShards() {
        return allShards;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShardScope s && Objects.equals(s.key, key) && s.allShards == allShards;
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, allShards);
    }

    @Override
    public String toString() {
        return key != null ? "shard key " + key : allShards ? "all shards" : "no shard key";
    }
}
