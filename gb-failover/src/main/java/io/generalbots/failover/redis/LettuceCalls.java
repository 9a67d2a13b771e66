package io.generalbots.failover.redis;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

/**
 * Lettuce calls whose result is used as a supertype. Kept out of {@link RedisConnections} so that
 * the verifier need not load Lettuce's types to load that class: without Lettuce,
 * {@link RedisConnections#of} can then say which artifact to add instead of failing with
 * {@code NoClassDefFoundError}.
 */
final class LettuceCalls {

    private LettuceCalls() {
    }

    static RedisClusterCommands<String, String> sync(StatefulRedisConnection<String, String> connection,
                                                     StatefulRedisClusterConnection<String, String> cluster) {
        return connection != null ? connection.sync() : cluster.sync();
    }
}
