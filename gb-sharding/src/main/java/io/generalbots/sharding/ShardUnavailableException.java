package io.generalbots.sharding;

import java.sql.SQLException;

/**
 * A shard (or tenant database) cannot serve a connection: its server is down, its database does
 * not exist, or the connection budget is exhausted. Only the keys routed to that shard fail; the
 * message and {@link #shard()} name the shard.
 */
public class ShardUnavailableException extends SQLException {

    private static final long serialVersionUID = 1L;

    /** The shard's name. */
    private final String shard;

    /**
     * Creates the exception.
     *
     * @param shard    the shard
     * @param message  the whole message; it names the shard
     * @param sqlState the SQL state, from the cause when there is one
     * @param cause    the underlying failure, or null
     */
    public ShardUnavailableException(String shard, String message, String sqlState, Throwable cause) {
        super(message, sqlState, cause);
        this.shard = shard;
    }

    /**
     * The shard that could not serve.
     *
     * @return the shard (or tenant database) name
     */
    public String shard() {
        return shard;
    }
}
