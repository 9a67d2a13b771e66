package io.generalbots.failover.postgres;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.slf4j.LoggerFactory;

import io.generalbots.scaling.Sleeper;
import io.generalbots.scaling.Ticker;

/**
 * One job of {@link FailoverDataSource}: what a HikariCP pool sees as its data source. Opens one
 * physical connection per call through the {@link Connector}, waiting out an election.
 */
final class PhysicalDataSource implements DataSource {

    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(PhysicalDataSource.class);
    private static final long CONNECT_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final PostgresFailoverConfig config;
    private final Connector connector;
    private final boolean read;
    private final Ticker ticker;
    private final Sleeper sleeper;
    private final BooleanSupplier closed;
    // HikariCP sets it from its connection timeout and waits this long for its filler on close
    private volatile int loginTimeoutSeconds;

    PhysicalDataSource(PostgresFailoverConfig config, Connector connector, boolean read, Ticker ticker,
            Sleeper sleeper, BooleanSupplier closed) {
        this.config = config;
        this.connector = connector;
        this.read = read;
        this.ticker = ticker;
        this.sleeper = sleeper;
        this.closed = closed;
    }

    private String poolName() {
        return read ? config.name() + "-read" : config.name();
    }

    /**
     * Opens one connection, polling every 100 ms while the error means "no primary (yet)",
     * for up to the retry timeout (at least the pool's connection timeout) or until the data
     * source closes. HikariCP's own filler backs off exponentially up to 5 s between failed
     * attempts, which would add up to 5 s to a recovery; waiting here means the filler sees
     * no failure during an ordinary election. Borrowers are not held up by it: they wait at
     * most the connection timeout and retry.
     */
    @Override
    public Connection getConnection() throws SQLException {
        long start = ticker.read();
        long deadline = start + Math.max(config.connectionTimeout().toNanos(), config.retryTimeout().toNanos());
        while (true) {
            try {
                return read ? connector.connectRead() : connector.connectWrite();
            } catch (SQLException e) {
                if (!PrimaryLoss.isPrimaryLost(e)) {
                    LOG.warn("{}: cannot open a {} connection: {}", poolName(), read ? "read" : "write", e.getMessage());
                    throw e;
                }
                if (closed.getAsBoolean() || ticker.read() + CONNECT_POLL_NANOS - deadline > 0) {
                    LOG.info("{}: no {} connection after {} ms: {}", poolName(), read ? "read" : "write",
                            TimeUnit.NANOSECONDS.toMillis(ticker.read() - start), e.getMessage());
                    throw e;
                }
                try {
                    sleeper.sleep(Duration.ofNanos(CONNECT_POLL_NANOS));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("credentials are set in PostgresFailoverConfig");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
        loginTimeoutSeconds = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeoutSeconds;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return false;
    }
}
