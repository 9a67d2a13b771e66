package io.generalbots.failover.postgres;

import java.sql.SQLException;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.generalbots.scaling.Ticker;
import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.scaling.event.EventPublisher;

/**
 * One job of {@link FailoverDataSource}: knowing the current primary. Holds the primary as last
 * found and whether an error marked it stale, finds it anew (Patroni {@code GET /primary}, or a
 * multi-host probe connection), tells of every change (log line and {@link FailoverEvent}), and
 * picks the replicas within the lag limit for reads.
 *
 * <p>Discovery does network I/O (HTTP to Patroni), so it is serialised with a {@link ReentrantLock},
 * never {@code synchronized}: a virtual thread waiting for it does not pin its carrier. Only one
 * thread asks Patroni at a time; the others wait and take its answer.
 */
final class PrimaryLocator {

    private static final Logger LOG = LoggerFactory.getLogger(PrimaryLocator.class);
    private static final long RETRY_DISCOVERY_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** Opens (and closes) one multi-host connection, which observes where pgjdbc landed. */
    @FunctionalInterface
    interface Probe {
        void probe() throws SQLException;
    }

    private final PostgresFailoverConfig config;
    private final Ticker ticker;
    private final Clock clock;
    private final PatroniClient patroni;
    private final EventPublisher<FailoverEvent> events;
    private final Probe multiHostProbe;
    private final Runnable evictWritePool;
    private final Executor background;
    /** Serialises discovery (I/O) and the updates of the primary's state. */
    private final ReentrantLock lock = new ReentrantLock();

    private volatile HostAndPort primary;
    private volatile boolean primaryStale = true;
    private long lastDiscoveryNanos;
    private SQLException lastDiscoveryError;
    private volatile List<HostAndPort> readHosts;
    private volatile long readHostsCheckedNanos;
    private volatile FailoverDataSource.DiscoveryRecorder[] recorders = new FailoverDataSource.DiscoveryRecorder[0];

    /**
     * @param patroni        the Patroni client in Patroni mode, else null
     * @param multiHostProbe the probe of multi-host mode
     * @param evictWritePool soft-evicts the write pool's connections (after a change or a loss)
     * @param background     where a search after an error runs, or null for none
     */
    PrimaryLocator(PostgresFailoverConfig config, Ticker ticker, Clock clock, PatroniClient patroni,
            EventPublisher<FailoverEvent> events, Probe multiHostProbe, Runnable evictWritePool, Executor background) {
        this.config = config;
        this.ticker = ticker;
        this.clock = clock;
        this.patroni = patroni;
        this.events = events;
        this.multiHostProbe = multiHostProbe;
        this.evictWritePool = evictWritePool;
        this.background = background;
        this.readHosts = config.hosts();
        if (config.discovery() == PrimaryDiscoveryMode.NONE) {
            primary = config.hosts().get(0);
        }
    }

    /** The primary as last found, if known and not marked stale by an error. */
    Optional<HostAndPort> primary() {
        HostAndPort p = primary;
        return primaryStale && config.discovery() != PrimaryDiscoveryMode.NONE ? Optional.empty() : Optional.ofNullable(p);
    }

    /** The primary as last found, stale or not (for {@code toString}). */
    HostAndPort lastKnown() {
        return primary;
    }

    /** Looks for the primary now; empty if none was found. */
    Optional<HostAndPort> refresh(String reason) {
        try {
            return Optional.of(discover(reason, true));
        } catch (SQLException e) {
            LOG.debug("{}: no primary found ({}): {}", config.name(), reason, e.getMessage());
            return Optional.empty();
        }
    }

    /** The background check: Patroni is asked every time, a multi-host pool only once the primary is stale. */
    void periodicCheck() {
        try {
            if (config.discovery() == PrimaryDiscoveryMode.PATRONI || primaryStale) {
                discover("periodic check", true);
            }
        } catch (SQLException e) {
            LOG.debug("{}: periodic check found no primary: {}", config.name(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("{}: periodic primary check failed", config.name(), e);
        }
    }

    /**
     * The primary for a new write connection: the known one, or one found now.
     *
     * @param force look even if a primary is known
     */
    HostAndPort discover(String reason, boolean force) throws SQLException {
        HostAndPort known = primary;
        if (!force && known != null && !primaryStale) {
            return known;
        }
        if (config.discovery() == PrimaryDiscoveryMode.MULTIHOST) {
            // the probe connection observes where pgjdbc lands, which records the primary
            long start = ticker.read();
            try {
                multiHostProbe.probe();
            } catch (SQLException | RuntimeException e) {
                discovered(start, FailoverDataSource.DiscoveryRecorder.ERROR);
                throw e;
            }
            discovered(start, FailoverDataSource.DiscoveryRecorder.FOUND);
            return primary;
        }
        lock.lock();
        try {
            if (!force && primary != null && !primaryStale) {
                return primary;
            }
            long now = ticker.read();
            if (!force && lastDiscoveryError != null && now - lastDiscoveryNanos < RETRY_DISCOVERY_AFTER_NANOS) {
                throw new SQLException(lastDiscoveryError.getMessage(), lastDiscoveryError.getSQLState());
            }
            lastDiscoveryNanos = now;
            long start = ticker.read();
            Optional<HostAndPort> found;
            try {
                found = patroni.findPrimary();
            } catch (RuntimeException e) {
                discovered(start, FailoverDataSource.DiscoveryRecorder.ERROR);
                throw e;
            }
            discovered(start, found.isPresent() ? FailoverDataSource.DiscoveryRecorder.FOUND
                    : FailoverDataSource.DiscoveryRecorder.NOT_FOUND);
            if (found.isEmpty()) {
                lastDiscoveryError = new SQLException(config.name() + ": no Patroni node reports itself primary "
                        + "(asked GET /primary on " + patroni.endpoints() + ")", "08001");
                throw lastDiscoveryError;
            }
            lastDiscoveryError = null;
            observe(found.get(), reason);
            return found.get();
        } finally {
            lock.unlock();
        }
    }

    /** Records the primary actually connected to or found; a different one is a change. */
    void observe(HostAndPort seen, String reason) {
        FailoverEvent event = null;
        lock.lock();
        try {
            HostAndPort previous = primary;
            primary = seen;
            primaryStale = false;
            if (previous == null) {
                LOG.info("{}: primary is {}", config.name(), seen);
                event = new FailoverEvent.PrimaryFound(config.name(), seen, clock.instant(), reason);
            } else if (!previous.equals(seen)) {
                LOG.info("{}: primary changed from {} to {} ({})", config.name(), previous, seen, reason);
                event = new FailoverEvent.PrimaryChanged(config.name(), previous, seen, clock.instant(), reason);
            }
        } finally {
            lock.unlock();
        }
        if (event instanceof FailoverEvent.PrimaryChanged) {
            evictWritePool.run();
        }
        if (event != null) {
            events.publish(event);
        }
    }

    /** A connection to {@code target} failed as if it were no primary: forget it unless another was found meanwhile. */
    void connectFailed(HostAndPort target) {
        lock.lock();
        try {
            if (target.equals(primary)) {
                primaryStale = true;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * An error meant the primary is lost: the first to say so marks it stale, evicts the write
     * pool, tells of the loss and starts a search in the background.
     */
    void primaryLost(SQLException e) {
        if (config.discovery() == PrimaryDiscoveryMode.NONE) {
            evictWritePool.run();
            return;
        }
        boolean first;
        lock.lock();
        try {
            first = !primaryStale;
            primaryStale = true;
        } finally {
            lock.unlock();
        }
        if (first) {
            HostAndPort lost = primary;
            LOG.warn("{}: primary {} lost ({}); evicting the pool's connections and looking for the primary",
                    config.name(), lost, e.getMessage());
            evictWritePool.run();
            if (lost != null) {
                events.publish(new FailoverEvent.PrimaryLost(config.name(), lost, clock.instant(),
                        String.valueOf(e.getMessage())));
            }
            if (background != null) {
                try {
                    background.execute(() -> refresh("after error: " + e.getMessage()));
                } catch (RejectedExecutionException closed) {
                    LOG.debug("{}: no search after the error: the primary check is stopped", config.name());
                }
            }
        }
    }

    /**
     * The hosts a read connection goes to: in Patroni mode with a lag limit, the replicas within
     * it (asked again every check interval; empty when none is), else every host.
     */
    List<HostAndPort> readHosts() {
        if (patroni == null || config.readMaxLag().isEmpty()) {
            return config.hosts();
        }
        long now = ticker.read();
        if (now - readHostsCheckedNanos > config.checkInterval().toNanos()) {
            List<HostAndPort> fresh = patroni.replicas(config.readMaxLag().getAsLong());
            readHosts = fresh;
            readHostsCheckedNanos = now;
            if (fresh.isEmpty()) {
                LOG.warn("{}: no replica within {} bytes of lag; reads go to the primary", config.name(),
                        config.readMaxLag().getAsLong());
                events.publish(new FailoverEvent.NoReplicaWithinLag(config.name(), config.readMaxLag().getAsLong(),
                        clock.instant()));
            }
        }
        return readHosts;
    }

    synchronized void addRecorder(FailoverDataSource.DiscoveryRecorder recorder) {
        FailoverDataSource.DiscoveryRecorder[] now = Arrays.copyOf(recorders, recorders.length + 1);
        now[now.length - 1] = Objects.requireNonNull(recorder, "recorder");
        recorders = now;
    }

    private void discovered(long start, int result) {
        long took = ticker.read() - start;
        for (FailoverDataSource.DiscoveryRecorder r : recorders) {
            r.discovered(took, result);
        }
    }
}
