package io.generalbots.sharding;

/**
 * Events of a {@link ShardedDataSource}, for logs, metrics and tests. Methods are called on the
 * thread that caused the event and must not block; the defaults do nothing.
 */
public interface ShardPoolListener {

    /**
     * A pool was opened for a shard.
     *
     * @param shard the shard
     */
    default void poolOpened(String shard) {
    }

    /**
     * A pool was evicted (least recently used) to stay within the connection budget; it is
     * closed once its borrowed connections are back.
     *
     * @param shard     the shard
     * @param borrowed  connections still borrowed at eviction
     */
    default void poolEvicted(String shard, int borrowed) {
    }

    /**
     * A pool was closed.
     *
     * @param shard the shard
     */
    default void poolClosed(String shard) {
    }

    /**
     * A missing tenant database was created ({@code shard-auto-create,true}).
     *
     * @param database the database
     */
    default void databaseCreated(String database) {
    }
}
