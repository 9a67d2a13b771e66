package io.generalbots.sharding;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.generalbots.scaling.event.EventPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Creates a tenant database on first use ({@code shard-auto-create}), exactly once however many
 * threads ask. One creation runs at a time in the process: the budget sets one connection aside for
 * {@code CREATE DATABASE}. The wait for it is a {@link ReentrantLock} (not a monitor, so a virtual
 * thread waiting does not pin its carrier), bounded by the caller's deadline. Another process
 * creating the same database at the same time is tolerated ({@code duplicate_database}).
 */
final class TenantDatabases {

    /** The data source's logger: the lines are the data source's, as before the split. */
    private static final Logger LOG = LoggerFactory.getLogger(ShardedDataSource.class);
    private static final String DUPLICATE_DATABASE = "42P04";

    /** Opens a connection to the admin database ({@code shard-admin-database}). */
    @FunctionalInterface
    interface AdminConnector {
        Connection connect() throws SQLException;
    }

    private final AdminConnector admin;
    private final EventPublisher<ShardPoolEvent> events;
    private final ReentrantLock adminLock = new ReentrantLock();
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    TenantDatabases(AdminConnector admin, EventPublisher<ShardPoolEvent> events) {
        this.admin = admin;
        this.events = events;
    }

    /**
     * Creates a tenant database unless it exists (or is known to exist).
     *
     * @param database      the database, a validated name
     * @param deadlineNanos {@link System#nanoTime()} after which the caller stops waiting for another
     *                      creation to finish
     * @throws ShardUnavailableException if it cannot be created, or another creation took past the deadline
     * @throws SQLException              if interrupted while waiting
     */
    void ensure(String database, long deadlineNanos) throws SQLException {
        if (known.contains(database)) {
            return;
        }
        String quoted = ShardNames.quoteIdentifier(database);
        lock(database, deadlineNanos);
        try {
            if (known.contains(database)) {
                return;
            }
            try (Connection c = admin.connect()) {
                boolean exists;
                try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                    ps.setString(1, database);
                    try (ResultSet rs = ps.executeQuery()) {
                        exists = rs.next();
                    }
                }
                if (!exists) {
                    try (Statement s = c.createStatement()) {
                        s.execute("CREATE DATABASE " + quoted);
                        ShardLog.at(LOG, Level.INFO, database, true).log(
                                "[{}] tenant database created (shard-auto-create)", database);
                        events.publish(new ShardPoolEvent.DatabaseCreated(database));
                    } catch (SQLException e) {
                        if (!DUPLICATE_DATABASE.equals(e.getSQLState())) {
                            throw e;
                        }
                    }
                }
            } catch (SQLException e) {
                throw new ShardUnavailableException(database, "tenant database " + database + " cannot be created: "
                        + e.getMessage(), e.getSQLState(), e);
            }
            known.add(database);
        } finally {
            adminLock.unlock();
        }
    }

    private void lock(String database, long deadlineNanos) throws SQLException {
        boolean locked;
        try {
            locked = adminLock.tryLock(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("interrupted while waiting to create tenant database "
                    + database, "08004", e);
        }
        if (!locked) {
            throw new ShardUnavailableException(database, "tenant database " + database + " cannot be created: "
                    + "another tenant database was still being created at the end of shard-connect-timeout", "08004",
                    null);
        }
    }
}
