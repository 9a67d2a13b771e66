package io.generalbots.autoscale;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on a PostgreSQL session advisory lock ({@code pg_try_advisory_lock}) held on
 * one dedicated connection: the lock lives as long as the session, so when the leader dies or
 * its connection is cut, PostgreSQL frees it and the next instance to check takes it. The
 * fencing token of a term is {@code txid_current()} at acquisition, which only grows.
 *
 * <p>The lock id is the FNV-1a 64-bit hash of {@code scale-leader-key}. Only the JDBC API is
 * used; the PostgreSQL driver is found by {@link DriverManager} when this class is used. The
 * connection gets a 5 s connect and socket timeout (pgjdbc's socket timeout is infinite by
 * default, so a dead server would hang the scaler).
 */
public final class PostgresLeaderElection implements LeaderElection {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresLeaderElection.class);

    private final String url;
    private final String nodeId;
    private final long lockId;
    /** Held over the JDBC calls: a lock, not the monitor, since they do network I/O. */
    private final ReentrantLock lock = new ReentrantLock();
    private Connection connection;
    private long token;

    /**
     * Creates an election; it connects on the first {@link #tryLead()}.
     *
     * @param url    {@code jdbc:postgresql://HOST:PORT/DB} (credentials as URL parameters)
     * @param key    the lock's name
     * @param nodeId this instance's name (the connection's application name)
     */
    public PostgresLeaderElection(String url, String key, String nodeId) {
        this.url = Objects.requireNonNull(url, "url");
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.lockId = lockId(Objects.requireNonNull(key, "key"));
    }

    /**
     * The advisory lock id of a key: FNV-1a 64 of its UTF-8 bytes.
     *
     * @param key the key
     * @return the id
     */
    public static long lockId(String key) {
        return io.generalbots.scaling.Fnv1a.hash64(key);
    }

    @Override
    public boolean tryLead() {
        lock.lock();
        try {
            if (token != 0) {
                if (stillLeads()) {
                    return true;
                }
                LOG.warn("scaler {}: lost the PostgreSQL advisory lock {} (term {})", nodeId, lockId, token);
                drop();
            }
            try {
                if (connection == null) {
                    Properties props = new Properties();
                    props.setProperty("ApplicationName", "gb-scaler " + nodeId);
                    props.setProperty("connectTimeout", "5");
                    props.setProperty("socketTimeout", "5");
                    connection = DriverManager.getConnection(url, props);
                    connection.setAutoCommit(true);
                }
                try (PreparedStatement tryLock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                    tryLock.setLong(1, lockId);
                    try (ResultSet rs = tryLock.executeQuery()) {
                        if (!rs.next() || !rs.getBoolean(1)) {
                            return false;
                        }
                    }
                }
                try (PreparedStatement txid = connection.prepareStatement("SELECT txid_current()");
                     ResultSet rs = txid.executeQuery()) {
                    rs.next();
                    token = rs.getLong(1);
                }
                LOG.info("scaler {}: leads (PostgreSQL advisory lock {}, term {})", nodeId, lockId, token);
                return true;
            } catch (SQLException e) {
                LOG.warn("scaler {}: leader election on PostgreSQL failed: {}", nodeId, e.getMessage());
                drop();
                return false;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean stillLeads() {
        lock.lock();
        try {
            if (token == 0 || connection == null) {
                return false;
            }
            try {
                return connection.isValid(5);
            } catch (SQLException e) {
                return false;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long fencingToken() {
        lock.lock();
        try {
            return token;
        } finally {
            lock.unlock();
        }
    }

    private void drop() {
        token = 0;
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the session is gone either way, and with it the lock
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            drop();
        } finally {
            lock.unlock();
        }
    }
}
