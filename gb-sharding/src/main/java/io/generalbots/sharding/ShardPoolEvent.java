package io.generalbots.sharding;

import java.util.Objects;

/**
 * What happened to the pools of a {@link ShardedDataSource}, for logs, meters and tests
 * ({@link ShardedDataSource#addListener}). Every event names the shard; the records are the cases
 * (Java 17: tell them apart with {@code instanceof}).
 */
public sealed interface ShardPoolEvent {

    /**
     * The shard's name (a tenant database's name under {@code shard-strategy,tenant}).
     *
     * @return the name
     */
    String shard();

    /**
     * A pool was opened for a shard.
     *
     * @param shard          the shard
     * @param maxConnections the most connections it holds ({@code shard-pool-size}, within the budget)
     */
    record PoolOpened(String shard, int maxConnections) implements ShardPoolEvent {
        /**
         * Creates the event.
         *
         * @param shard          the shard
         * @param maxConnections the pool's size
         */
        public PoolOpened {
            Objects.requireNonNull(shard, "shard");
        }
    }

    /**
     * A pool was evicted (least recently used) to stay within {@code shard-connection-budget}; it
     * takes no new borrowers and is closed once its borrowed connections are back (or after
     * {@code shard-drain-timeout}).
     *
     * @param shard    the shard
     * @param borrowed connections still borrowed at eviction
     */
    record PoolEvicted(String shard, int borrowed) implements ShardPoolEvent {
        /**
         * Creates the event.
         *
         * @param shard    the shard
         * @param borrowed connections still borrowed
         */
        public PoolEvicted {
            Objects.requireNonNull(shard, "shard");
        }
    }

    /**
     * A pool was closed (after an eviction, or when the data source closed).
     *
     * @param shard the shard
     */
    record PoolClosed(String shard) implements ShardPoolEvent {
        /**
         * Creates the event.
         *
         * @param shard the shard
         */
        public PoolClosed {
            Objects.requireNonNull(shard, "shard");
        }
    }

    /**
     * A missing tenant database was created ({@code shard-auto-create,true}).
     *
     * @param shard the tenant database, which is the shard's name
     */
    record DatabaseCreated(String shard) implements ShardPoolEvent {
        /**
         * Creates the event.
         *
         * @param shard the database
         */
        public DatabaseCreated {
            Objects.requireNonNull(shard, "shard");
        }
    }
}
