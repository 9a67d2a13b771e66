package io.generalbots.failover.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.generalbots.scaling.Sleeper;
import io.generalbots.scaling.Ticker;

/**
 * One job of {@link FailoverDataSource}: running the caller's work on a pooled connection, in a
 * transaction or not, and deciding after an error whether to run it again (with backoff, 50 ms
 * doubling to 250 ms, until the retry timeout) or to give up.
 */
final class RetryLoop {

    private static final Logger LOG = LoggerFactory.getLogger(RetryLoop.class);
    private static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final PostgresFailoverConfig config;
    private final Ticker ticker;
    private final Sleeper sleeper;
    private final Consumer<SQLException> primaryLost;

    /** @param primaryLost told when work on the write pool met an error that means the primary is lost */
    RetryLoop(PostgresFailoverConfig config, Ticker ticker, Sleeper sleeper, Consumer<SQLException> primaryLost) {
        this.config = config;
        this.ticker = ticker;
        this.sleeper = sleeper;
        this.primaryLost = primaryLost;
    }

    /**
     * Runs the work.
     *
     * @param ds          the pool
     * @param writePool   whether {@code ds} is the write pool (on the primary)
     * @param idempotent  whether work that reached the server may run again
     * @param transaction in one transaction (else autocommit, and a hot standby's transient errors are retried)
     */
    <T> T run(DataSource ds, boolean writePool, SqlWork<T> work, boolean idempotent, boolean transaction)
            throws SQLException {
        Objects.requireNonNull(work, "work");
        long start = ticker.read();
        long deadline = start + config.retryTimeout().toNanos();
        long backoff = FIRST_BACKOFF_NANOS;
        int attempt = 0;
        while (true) {
            attempt++;
            boolean borrowed = false;
            try (Connection c = ds.getConnection()) {
                borrowed = true;
                if (!transaction) {
                    return work.apply(c);
                }
                c.setAutoCommit(false);
                try {
                    T result = work.apply(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(c, e);
                    throw e;
                }
            } catch (SQLException e) {
                if (!PrimaryLoss.isPrimaryLost(e) && (transaction || !isTransientReadError(e))) {
                    throw e;
                }
                if (writePool && borrowed) {
                    // a borrow timeout says nothing new: the pool's filler already tracks the primary
                    primaryLost.accept(e);
                }
                if (borrowed && !idempotent) {
                    throw new PrimaryLostException(config.name() + ": the primary was lost while running work not "
                            + "marked idempotent; it may or may not have committed and is not retried ("
                            + e.getMessage() + ")", e);
                }
                long now = ticker.read();
                if (now - deadline + backoff > 0) {
                    throw new PrimaryLostException(config.name() + ": no usable " + (writePool ? "primary" : "server")
                            + " after " + attempt + " attempts in " + Duration.ofNanos(now - start).toMillis()
                            + " ms (retry timeout " + config.retryTimeout().toMillis() + " ms): " + e.getMessage(), e);
                }
                LOG.debug("{}: attempt {} failed ({}), retrying in {} ms", config.name(), attempt, e.getMessage(),
                        TimeUnit.NANOSECONDS.toMillis(backoff));
                try {
                    sleeper.sleep(Duration.ofNanos(backoff));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    e.addSuppressed(ie);
                    throw e;
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF_NANOS);
            }
        }
    }

    /**
     * Errors a read on a hot standby can meet that a retry cures: recovery conflicts
     * ({@code 40001}, "canceling statement due to conflict with recovery"; {@code 57P04}) and
     * deadlocks ({@code 40P01}).
     */
    private static boolean isTransientReadError(SQLException e) {
        String state = e.getSQLState();
        return "40001".equals(state) || "40P01".equals(state) || "57P04".equals(state);
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
