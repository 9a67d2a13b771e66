package io.generalbots.failover.postgres;

import java.time.Instant;
import java.util.Objects;

import io.generalbots.scaling.config.HostAndPort;

/**
 * What a {@link FailoverDataSource} noticed about its cluster, for its listeners
 * ({@link FailoverDataSource#addListener}). Every event names the pool and says when it was
 * noticed (the data source's wall clock); the records are the cases (Java 17: tell them apart with
 * {@code instanceof}). Each is also logged, naming the pool.
 */
public sealed interface FailoverEvent {

    /**
     * The pool's name ({@code PostgresFailoverConfig.name()}).
     *
     * @return the name
     */
    String pool();

    /**
     * When it was noticed.
     *
     * @return the time
     */
    Instant at();

    /**
     * The first primary was found (at start, or after a start during an election).
     *
     * @param pool    the pool's name
     * @param primary the primary
     * @param at      when it was found
     * @param reason  what led to the discovery, e.g. {@code new connection} or {@code periodic check}
     */
    record PrimaryFound(String pool, HostAndPort primary, Instant at, String reason) implements FailoverEvent {
        /**
         * Creates the event.
         *
         * @param pool    the pool's name
         * @param primary the primary
         * @param at      when
         * @param reason  what led to it
         */
        public PrimaryFound {
            Objects.requireNonNull(pool, "pool");
            Objects.requireNonNull(primary, "primary");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * An error meant the primary is gone or no longer the primary: the pool's connections are
     * evicted and a discovery has started. Published once per loss, however many connections saw it.
     *
     * @param pool    the pool's name
     * @param primary the primary that was lost
     * @param at      when it was noticed
     * @param reason  the driver's error message
     */
    record PrimaryLost(String pool, HostAndPort primary, Instant at, String reason) implements FailoverEvent {
        /**
         * Creates the event.
         *
         * @param pool    the pool's name
         * @param primary the lost primary
         * @param at      when
         * @param reason  the error
         */
        public PrimaryLost {
            Objects.requireNonNull(pool, "pool");
            Objects.requireNonNull(primary, "primary");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The primary changed: published once per change, after the pool was pointed at the new one.
     *
     * @param pool     the pool's name
     * @param previous the primary before
     * @param current  the primary now
     * @param at       when the change was noticed
     * @param reason   what led to the discovery, e.g. the driver error or {@code periodic check}
     */
    record PrimaryChanged(String pool, HostAndPort previous, HostAndPort current, Instant at, String reason)
            implements FailoverEvent {
        /**
         * Creates the event.
         *
         * @param pool     the pool's name
         * @param previous the primary before
         * @param current  the primary now
         * @param at       when
         * @param reason   what led to it
         */
        public PrimaryChanged {
            Objects.requireNonNull(pool, "pool");
            Objects.requireNonNull(previous, "previous");
            Objects.requireNonNull(current, "current");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * No replica is within {@code shard-read-max-lag} bytes of the primary: reads go to the
     * primary. Published each time the replicas are looked up and none qualifies (at most once
     * per check interval).
     *
     * @param pool        the pool's name
     * @param maxLagBytes the lag limit
     * @param at          when it was noticed
     */
    record NoReplicaWithinLag(String pool, long maxLagBytes, Instant at) implements FailoverEvent {
        /**
         * Creates the event.
         *
         * @param pool        the pool's name
         * @param maxLagBytes the lag limit
         * @param at          when
         */
        public NoReplicaWithinLag {
            Objects.requireNonNull(pool, "pool");
            Objects.requireNonNull(at, "at");
        }
    }
}
