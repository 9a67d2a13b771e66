package io.generalbots.failover.fallback;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import io.generalbots.scaling.Checks;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

/**
 * A {@link CacheBackend} on Redis: {@code GET}, {@code SET key value PX ttl}, {@code DEL}, over
 * Lettuce's synchronous commands of a standalone, sentinel or cluster connection (all implement
 * {@link RedisClusterCommands}). Needs Lettuce on the classpath.
 */
public final class RedisCacheBackend implements CacheBackend {

    private final RedisClusterCommands<String, String> redis;

    /**
     * Creates the backend.
     *
     * @param redis {@code connection.sync()} of a {@code StatefulRedisConnection<String, String>}
     *              or {@code StatefulRedisClusterConnection<String, String>}
     */
    public RedisCacheBackend(RedisClusterCommands<String, String> redis) {
        this.redis = Objects.requireNonNull(redis, "redis");
    }

    @Override
    public Optional<String> get(String key) {
        return Optional.ofNullable(redis.get(key));
    }

    @Override
    public void put(String key, String value, Duration ttl) {
        Checks.requirePositive("ttl", ttl);
        redis.set(key, value, SetArgs.Builder.px(ttl.toMillis()));
    }

    @Override
    public void delete(String key) {
        redis.del(key);
    }
}
