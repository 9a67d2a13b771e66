package io.generalbots.sharding;

import com.zaxxer.hikari.HikariDataSource;

/**
 * One shard's open HikariCP pool and its place in the budget. The counters and flags are guarded
 * by the lock of the {@link ShardPools} that holds the pool.
 */
final class ShardPool {

    final String shard;
    final String url;
    final HikariDataSource dataSource;
    /** Connections borrowed and not yet given back. */
    int borrowers;
    /** Taken out of the open pools: takes no new borrowers. */
    boolean evicted;
    /** Being closed (once): by its last borrower, the drain timer or close(). */
    boolean closing;

    ShardPool(String shard, String url, HikariDataSource dataSource) {
        this.shard = shard;
        this.url = url;
        this.dataSource = dataSource;
    }

    @Override
    public String toString() {
        return "ShardPool[" + shard + "]";
    }
}
