package io.generalbots.failover.postgres;

import java.sql.SQLTransientConnectionException;

/**
 * Thrown by {@link FailoverDataSource#execute} when work not marked idempotent failed because the
 * primary went away (or stopped being the primary) while it ran. The library has already started
 * looking for the new primary and evicted the pool's connections; it did not retry, because the
 * work may or may not have been committed. The caller decides: check and redo, or give up.
 */
public class PrimaryLostException extends SQLTransientConnectionException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, naming the pool
     * @param cause   the driver's error
     */
    public PrimaryLostException(String message, Throwable cause) {
        super(message, "08006", cause);
    }
}
