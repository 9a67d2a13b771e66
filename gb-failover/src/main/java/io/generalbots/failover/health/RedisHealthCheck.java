package io.generalbots.failover.health;

import java.util.Objects;
import java.util.function.Supplier;

import io.generalbots.scaling.health.HealthCheck;
import io.generalbots.scaling.health.HealthCheckResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;

/**
 * Checks Redis with {@code PING}: {@code PONG} is {@code ok}, anything else {@code down}, an
 * exception (timeout, disconnected) {@code error}. Needs Lettuce on the classpath.
 */
public final class RedisHealthCheck implements HealthCheck {

    private final Supplier<String> ping;

    private RedisHealthCheck(Supplier<String> ping) {
        this.ping = ping;
    }

    /**
     * A check over a standalone or sentinel connection.
     *
     * @param connection the connection
     * @return the check
     */
    public static RedisHealthCheck of(StatefulRedisConnection<?, ?> connection) {
        Objects.requireNonNull(connection, "connection");
        return new RedisHealthCheck(() -> connection.sync().ping());
    }

    /**
     * A check over a cluster connection (PING to a node of the cluster).
     *
     * @param connection the connection
     * @return the check
     */
    public static RedisHealthCheck of(StatefulRedisClusterConnection<?, ?> connection) {
        Objects.requireNonNull(connection, "connection");
        return new RedisHealthCheck(() -> connection.sync().ping());
    }

    @Override
    public HealthCheckResult check() {
        return "PONG".equals(ping.get()) ? HealthCheckResult.up() : HealthCheckResult.down("down");
    }
}
