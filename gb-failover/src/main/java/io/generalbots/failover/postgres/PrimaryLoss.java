package io.generalbots.failover.postgres;

import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Tells the errors that mean "this is not the primary any more" from ordinary SQL errors.
 *
 * <p>A primary is lost when the error chain (causes and {@link SQLException#getNextException()})
 * holds any of:
 * <ul>
 *   <li>SQLState class {@code 08} (connection exception: refused, reset, broken pipe, and pgjdbc's
 *       "could not find a server with specified targetServerType");</li>
 *   <li>{@code 25006} read_only_sql_transaction: the node was demoted to a replica;</li>
 *   <li>{@code 57P01} admin_shutdown, {@code 57P02} crash_shutdown, {@code 57P03} cannot_connect_now
 *       (starting up, shutting down, or in recovery);</li>
 *   <li>a {@link ConnectException}, {@link SocketException} or {@link SocketTimeoutException}
 *       without a SQLState;</li>
 *   <li>a {@link SQLTransientConnectionException} (HikariCP's "connection is not available"
 *       while no connection to the primary can be opened).</li>
 * </ul>
 * Everything else (constraint violations, syntax errors, serialization failures, statement
 * timeouts {@code 57014}) is the caller's business and is never retried here.
 */
public final class PrimaryLoss {

    private static final Set<String> STATES = Set.of("25006", "57P01", "57P02", "57P03");

    private PrimaryLoss() {
    }

    /**
     * Whether the error means the primary is gone or no longer the primary.
     *
     * @param error an error from JDBC or the pool (null gives false)
     * @return true if the pool should look for the primary again
     */
    public static boolean isPrimaryLost(Throwable error) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        return walk(error, seen);
    }

    private static boolean walk(Throwable t, Map<Throwable, Boolean> seen) {
        while (t != null && seen.put(t, Boolean.TRUE) == null) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("08") || STATES.contains(state))) {
                    return true;
                }
                if (sql instanceof SQLTransientConnectionException) {
                    return true;
                }
                if (sql.getNextException() != null && walk(sql.getNextException(), seen)) {
                    return true;
                }
            } else if (t instanceof ConnectException || t instanceof SocketException
                    || t instanceof SocketTimeoutException) {
                return true;
            }
            t = t.getCause();
        }
        return false;
    }
}
