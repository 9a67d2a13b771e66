package io.generalbots.failover.postgres;

import java.time.Instant;
import java.util.Objects;

import io.generalbots.scaling.config.HostAndPort;

/**
 * The primary of a cluster changed: published by {@link FailoverDataSource} to its listeners, once
 * per change, after the pool was pointed at the new primary.
 *
 * @param pool     the pool's name
 * @param previous the primary before
 * @param current  the primary now
 * @param at       when the change was noticed (wall clock)
 * @param reason   what led to the discovery, e.g. the driver error or {@code periodic check}
 */
public record PrimaryChangeEvent(String pool, HostAndPort previous, HostAndPort current, Instant at, String reason) {

    /**
     * Creates an event.
     *
     * @param pool     the pool's name
     * @param previous the primary before
     * @param current  the primary now
     * @param at       when it was noticed
     * @param reason   what led to the discovery
     */
    public PrimaryChangeEvent {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(reason, "reason");
    }
}
