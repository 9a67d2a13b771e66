package io.generalbots.spring;

import java.util.concurrent.CompletionStage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.generalbots.ratelimit.RateLimitConfig;
import io.generalbots.ratelimit.RateLimitDecision;
import io.generalbots.ratelimit.RateLimitSettings;
import io.generalbots.ratelimit.RateLimiter;
import io.generalbots.ratelimit.RateLimiters;
import io.generalbots.ratelimit.RedisRateLimiter;
import io.generalbots.scaling.Ticker;
import io.generalbots.scaling.config.HostAndPort;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;

/**
 * A Redis rate limiter that rides on the application's Lettuce client (its event loops, timers and
 * client options) instead of starting a second one: one String connection to the nodes of
 * {@code rate-limit-redis} (with the factory's password, if any). When the factory's client does not
 * fit ({@code rate-limit-redis-cluster} differs from the factory's mode) the limiter opens its own
 * connection, as without Spring, but on the factory's Lettuce {@code ClientResources} (Boot's
 * {@code lettuceClientResources}) rather than a second set of event loops; closing the limiter leaves
 * them to the application.
 */
final class SpringRedisRateLimiters {

    private static final Logger LOG = LoggerFactory.getLogger(SpringRedisRateLimiters.class);

    private SpringRedisRateLimiters() {
    }

    static RateLimiter create(RateLimitSettings settings, String name, LettuceConnectionFactory factory) {
        if (!settings.enabled() || settings.redisNodes().isEmpty()
                || !settings.backend().map("redis"::equals).orElse(true)) {
            // disabled, or rate-limit-backend names local or a provider: rate-limit-redis has no effect
            return RateLimiters.of(settings, name, Ticker.system());
        }
        AbstractRedisClient client = factory.getNativeClient();
        StatefulConnection<String, String> connection;
        RedisRateLimiter.Builder builder = RedisRateLimiter.custom(settings.toConfig()).name(name)
                .maxKeys(settings.maxKeys()).timeout(settings.redisTimeout()).failureMode(settings.failureMode())
                .breaker(settings.breakerThreshold(), settings.breakerWait());
        if (!settings.redisCluster() && client instanceof RedisClient redis) {
            StatefulRedisConnection<String, String> c = redis.connect(StringCodec.UTF8, uri(settings.redisNodes().get(0), factory));
            connection = c;
            builder.commands(c.async());
        } else if (settings.redisCluster() && client instanceof RedisClusterClient cluster) {
            StatefulRedisClusterConnection<String, String> c = cluster.connect(StringCodec.UTF8);
            connection = c;
            builder.commands(c.async());
        } else {
            // the limiter makes a client of its own, but on the application's Lettuce resources (event
            // loops, timers), which its close() leaves running
            ClientResources resources = factory.getClientConfiguration().getClientResources().orElse(null);
            LOG.info("rate limiter '{}' on Redis{}: the application's Redis client is {}; the limiter opens its own"
                            + " connection, on {} Lettuce resources", name, settings.redisCluster() ? " (cluster)" : "",
                    client == null ? "absent" : client.getClass().getSimpleName(),
                    resources == null ? "its own" : "the application's");
            builder.nodes(settings.redisNodes(), settings.redisCluster());
            if (resources != null) {
                builder.clientResources(resources);
            }
            return builder.build();
        }
        LOG.info("rate limiter '{}' on Redis {} through the application's Lettuce client", name, settings.redisNodes());
        return new Owning(builder.build(), connection);
    }

    private static RedisURI uri(HostAndPort node, LettuceConnectionFactory factory) {
        RedisURI.Builder b = RedisURI.builder().withHost(node.host()).withPort(node.port());
        String password = factory.getPassword();
        if (password != null && !password.isEmpty()) {
            b.withPassword(password.toCharArray());
        }
        return b.build();
    }

    /** A limiter that closes the connection it was given when it closes. */
    private static final class Owning implements RateLimiter {
        private final RateLimiter delegate;
        private final StatefulConnection<String, String> connection;

        Owning(RateLimiter delegate, StatefulConnection<String, String> connection) {
            this.delegate = delegate;
            this.connection = connection;
        }

        @Override
        public RateLimitDecision decide(String key, String endpoint) {
            return delegate.decide(key, endpoint);
        }

        @Override
        public boolean tryAcquire(String key, String endpoint) {
            return delegate.tryAcquire(key, endpoint);
        }

        @Override
        public CompletionStage<RateLimitDecision> decideAsync(String key, String endpoint) {
            return delegate.decideAsync(key, endpoint);
        }

        @Override
        public RateLimitConfig config() {
            return delegate.config();
        }

        @Override
        public String endpointOf(String path) {
            return delegate.endpointOf(path);
        }

        @Override
        public void close() {
            try {
                delegate.close();
            } finally {
                connection.close();
            }
        }

        @Override
        public String toString() {
            return delegate.toString();
        }
    }
}
