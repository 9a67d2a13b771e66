package io.generalbots.failover.postgres;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Database work run by {@link FailoverDataSource#execute} and its siblings on a borrowed connection.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface SqlWork<T> {

    /**
     * Does the work. The connection is returned to the pool afterwards; do not close it.
     *
     * @param connection a connection to the primary (or, for reads, the read pool)
     * @return the result
     * @throws SQLException as JDBC throws it
     */
    T apply(Connection connection) throws SQLException;
}
