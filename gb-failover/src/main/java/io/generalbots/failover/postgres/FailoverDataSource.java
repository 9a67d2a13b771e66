package io.generalbots.failover.postgres;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;

import org.postgresql.core.BaseConnection;
import org.postgresql.util.HostSpec;
import org.slf4j.LoggerFactory;

import io.generalbots.scaling.OptionalDependency;
import io.generalbots.scaling.Sleeper;
import io.generalbots.scaling.Ticker;
import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.scaling.event.EventListener;
import io.generalbots.scaling.event.EventPublisher;
import io.generalbots.scaling.health.HealthCheck;

/**
 * A {@link DataSource} over a HikariCP pool that always writes to the current primary of a
 * PostgreSQL cluster (Patroni or plain streaming replication) and recovers by itself when another
 * node is promoted.
 *
 * <pre>{@code
 * FailoverDataSource db = FailoverDataSource.of(PostgresFailoverConfig.custom()
 *         .name("shard-1").hosts("pg-1:5432,pg-2:5432").discovery(PrimaryDiscoveryMode.PATRONI)
 *         .database("botserver").credentials("gb", secret).build());
 * db.executeIdempotent(c -> c.createStatement().executeUpdate(
 *         "INSERT INTO t(id, v) VALUES (42, 'x') ON CONFLICT (id) DO NOTHING"));
 * }</pre>
 *
 * <p><b>Recovery.</b> An error that means "not the primary any more" ({@link PrimaryLoss}) marks
 * the known primary stale and soft-evicts every pooled connection (in use ones are closed when
 * returned); the next connection the pool opens goes to the primary found anew: in
 * {@link PrimaryDiscoveryMode#PATRONI} mode the node whose Patroni answers 200 on {@code /primary},
 * in {@link PrimaryDiscoveryMode#MULTIHOST} mode the host pgjdbc finds with
 * {@code targetServerType=primary}. This happens however the error surfaced: in
 * {@link #execute}, {@link #executeIdempotent}, {@link #read}, or in plain JDBC use of
 * {@link #getConnection()} (through HikariCP's exception override).
 *
 * <p><b>Retry.</b> {@link #executeIdempotent} retries with backoff (50 ms doubling to 250 ms) until
 * {@link PostgresFailoverConfig#retryTimeout()}; {@link #execute} never re-runs work that reached
 * the server (it throws {@link PrimaryLostException}: the work may or may not have committed), but
 * does retry when not even a connection could be borrowed, since then nothing was sent.
 *
 * <p><b>Events.</b> Every change of primary is logged ({@code INFO}, naming the pool, the old and
 * new primary and what led to it) and published to the listeners ({@link #addListener}) as a
 * {@link FailoverEvent.PrimaryChanged}; the first primary found, a primary lost and reads sent to
 * the primary for want of a replica within the lag limit are the other {@link FailoverEvent}s. A
 * listener that throws is logged and skipped. Bind {@link PostgresFailoverMetrics} for a
 * Micrometer counter.
 *
 * <p>One instance per cluster; per shard when each shard is a cluster (it needs only a host list).
 */
public final class FailoverDataSource implements DataSource, AutoCloseable {

    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(FailoverDataSource.class);
    private static final long RETRY_DISCOVERY_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long CONNECT_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final PostgresFailoverConfig config;
    private final Ticker ticker;
    private final Clock clock;
    private final Sleeper sleeper;
    private final PatroniClient patroni;
    private final org.postgresql.Driver driver = new org.postgresql.Driver();
    private final EventPublisher<FailoverEvent> events;
    private final Object discoveryLock = new Object();
    private final HikariDataSource pool;
    private final HikariDataSource readPool;
    private final ScheduledExecutorService checker;

    private volatile boolean closed;
    private volatile HostAndPort primary;
    private volatile boolean primaryStale = true;
    private long lastDiscoveryNanos;
    private SQLException lastDiscoveryError;
    private volatile List<HostAndPort> readHosts;
    private volatile DiscoveryRecorder[] recorders = new DiscoveryRecorder[0];
    private volatile long readHostsCheckedNanos;

    private FailoverDataSource(PostgresFailoverConfig config, Ticker ticker, Clock clock, Sleeper sleeper) {
        this.config = config;
        this.ticker = ticker;
        this.clock = clock;
        this.sleeper = sleeper;
        this.events = EventPublisher.of("failover pool " + config.name());
        this.patroni = config.discovery() == PrimaryDiscoveryMode.PATRONI
                ? new PatroniClient(config.hosts(), config.patroniEndpoints(), config.patroniTimeout()) : null;
        if (config.discovery() == PrimaryDiscoveryMode.NONE) {
            primary = config.hosts().get(0);
        }
        this.readHosts = config.hosts();
        this.pool = new HikariDataSource(hikari(config.name(), new Physical(false), config.maximumPoolSize(),
                config.minimumIdle(), false));
        this.readPool = config.readPool()
                ? new HikariDataSource(hikari(config.name() + "-read", new Physical(true), config.readPoolSize(),
                        Math.min(1, config.readPoolSize()), true))
                : null;
        if (!config.checkInterval().isZero() && config.discovery() != PrimaryDiscoveryMode.NONE) {
            this.checker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, config.name() + "-primary-check");
                t.setDaemon(true);
                return t;
            });
            long every = config.checkInterval().toMillis();
            checker.scheduleWithFixedDelay(this::periodicCheck, every, every, TimeUnit.MILLISECONDS);
        } else {
            this.checker = null;
        }
        LOG.info("{}: {} discovery over {}{}", config.name(), config.discovery().name().toLowerCase(),
                config.hosts(), readPool == null ? "" : ", read pool on");
    }

    /**
     * Opens the pool(s). Startup does not fail while the cluster has no primary (during an
     * election): the pool starts empty and fills once one is found.
     *
     * @param config the configuration
     * @return the data source
     */
    public static FailoverDataSource of(PostgresFailoverConfig config) {
        return of(config, Ticker.system(), Clock.systemUTC());
    }

    /**
     * Opens the pool(s) with an injected clock (for tests and simulations).
     *
     * @param config the configuration
     * @param ticker monotonic time for deadlines and backoff
     * @param clock  wall time for events
     * @return the data source
     * @throws IllegalStateException when HikariCP or the PostgreSQL driver is not on the class path,
     *         naming the artifact to add
     */
    public static FailoverDataSource of(PostgresFailoverConfig config, Ticker ticker, Clock clock) {
        OptionalDependency.HIKARICP.require("FailoverDataSource");
        OptionalDependency.POSTGRESQL.require("FailoverDataSource");
        return new FailoverDataSource(Objects.requireNonNull(config, "config"), Objects.requireNonNull(ticker, "ticker"),
                Objects.requireNonNull(clock, "clock"), Sleeper.system());
    }

    private HikariConfig hikari(String poolName, DataSource physical, int max, int minIdle, boolean readOnly) {
        HikariConfig h = new HikariConfig();
        h.setPoolName(poolName);
        h.setDataSource(physical);
        h.setMaximumPoolSize(max);
        h.setMinimumIdle(minIdle);
        h.setConnectionTimeout(config.connectionTimeout().toMillis());
        // HikariCP wants 250 ms <= validationTimeout <= connectionTimeout; the config's floor is 250 ms
        h.setValidationTimeout(Math.max(250, Math.min(config.connectionTimeout().toMillis() - 1, 2_000)));
        h.setKeepaliveTime(config.keepaliveTime().toMillis());
        h.setMaxLifetime(config.maxLifetime().toMillis());
        // HikariCP's 10 min idle timeout would equal our 10 min lifetime and be switched off
        h.setIdleTimeout(Math.min(300_000, config.maxLifetime().toMillis() / 2));
        h.setReadOnly(readOnly);
        // start even while the cluster elects a primary; the pool fills when one is found
        h.setInitializationFailTimeout(-1);
        // built in another class: an anonymous SQLExceptionOverride here would make the verifier load
        // HikariCP's interface with this class, before of() can say that HikariCP is missing
        h.setExceptionOverride(PrimaryLossOverride.of(readOnly, this::primaryLost));
        return h;
    }

    // ------------------------------------------------------------------ the caller's API

    /**
     * A pooled connection to the primary. Errors that mean the primary is lost trigger recovery
     * here too; retrying is the caller's choice.
     *
     * @return a connection; close it to return it
     * @throws SQLException if none can be had within the pool's connection timeout
     */
    @Override
    public Connection getConnection() throws SQLException {
        return pool.getConnection();
    }

    /**
     * Runs work in one transaction on the primary, without re-running it if the primary is lost
     * while it runs (then {@link PrimaryLostException}: the outcome is unknown). A failure to
     * borrow a connection is retried until the retry timeout, since nothing was sent.
     *
     * @param work the work
     * @param <T>  its result type
     * @return the work's result, after the commit succeeded
     * @throws SQLException the work's own error, or {@link PrimaryLostException}
     */
    public <T> T execute(SqlWork<T> work) throws SQLException {
        return run(pool, work, false, true);
    }

    /**
     * Runs work in one transaction on the primary, re-running it (with backoff) when the primary
     * is lost, until {@link PostgresFailoverConfig#retryTimeout()}. Only for work that is safe to
     * apply twice (e.g. {@code INSERT … ON CONFLICT DO NOTHING} with a caller-chosen key, an
     * {@code UPDATE} setting absolute values): a commit whose acknowledgement was lost is re-run.
     *
     * @param work the work
     * @param <T>  its result type
     * @return the work's result, after a commit succeeded
     * @throws SQLException the work's own error, or {@link PrimaryLostException} when the retry
     *                      timeout passed without a primary
     */
    public <T> T executeIdempotent(SqlWork<T> work) throws SQLException {
        return run(pool, work, true, true);
    }

    /**
     * Runs read-only work on the read pool (the replicas) if there is one, else on the primary,
     * retrying until the retry timeout on connection errors and on the errors a hot standby
     * raises when replay conflicts with a query ({@code 40001}, {@code 57P04}; also deadlocks
     * {@code 40P01}): reads are idempotent. Not in a transaction (autocommit).
     *
     * @param work the work; the connection is read-only
     * @param <T>  its result type
     * @return the work's result
     * @throws SQLException the work's own error, or {@link PrimaryLostException} on timeout
     */
    public <T> T read(SqlWork<T> work) throws SQLException {
        return run(readPool != null ? readPool : pool, work, true, false);
    }

    /**
     * The read pool (replicas, {@code targetServerType=preferSecondary}, {@code loadBalanceHosts}),
     * or the primary pool when the read pool is off.
     *
     * @return the data source for reads
     */
    public DataSource readDataSource() {
        return readPool != null ? readPool : this;
    }

    private <T> T run(HikariDataSource ds, SqlWork<T> work, boolean idempotent, boolean transaction)
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
                if (ds == pool && borrowed) {
                    // a borrow timeout says nothing new: the pool's filler already tracks the primary
                    primaryLost(e);
                }
                if (borrowed && !idempotent) {
                    throw new PrimaryLostException(config.name() + ": the primary was lost while running work not "
                            + "marked idempotent; it may or may not have committed and is not retried ("
                            + e.getMessage() + ")", e);
                }
                long now = ticker.read();
                if (now - deadline + backoff > 0) {
                    throw new PrimaryLostException(config.name() + ": no usable " + (ds == pool ? "primary" : "server")
                            + " after " + attempt + " attempts in " + Duration.ofNanos(now - start).toMillis()
                            + " ms (retry timeout " + config.retryTimeout().toMillis() + " ms): " + e.getMessage(), e);
                }
                LOG.debug("{}: attempt {} failed ({}), retrying in {} ms", config.name(), attempt, e.getMessage(),
                        TimeUnit.NANOSECONDS.toMillis(backoff));
                try {
                    sleeper.sleep(java.time.Duration.ofNanos(backoff));
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

    // ------------------------------------------------------------------ discovery

    /**
     * The primary as last found, if known and not marked stale by an error.
     *
     * @return the primary
     */
    public Optional<HostAndPort> primary() {
        HostAndPort p = primary;
        return primaryStale && config.discovery() != PrimaryDiscoveryMode.NONE ? Optional.empty() : Optional.ofNullable(p);
    }

    /**
     * Looks for the primary now (Patroni: asks every node; multihost: opens a probe connection
     * with {@code targetServerType=primary}); a change is handled as after an error.
     *
     * @param reason why, for the log and the event
     * @return the primary, or empty if none was found
     */
    public Optional<HostAndPort> refreshPrimary(String reason) {
        try {
            return Optional.of(discover(reason, true));
        } catch (SQLException e) {
            LOG.debug("{}: no primary found ({}): {}", config.name(), reason, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Tells the data source about an error seen outside its own methods (it needs no telling for
     * errors raised through its connections; HikariCP reports those). Recovery starts if the
     * error means the primary is lost.
     *
     * @param error the error
     * @return whether the error means the primary was lost
     */
    public boolean handleError(SQLException error) {
        if (PrimaryLoss.isPrimaryLost(error)) {
            primaryLost(error);
            return true;
        }
        return false;
    }

    private void primaryLost(SQLException e) {
        if (config.discovery() == PrimaryDiscoveryMode.NONE) {
            pool.getHikariPoolMXBean().softEvictConnections();
            return;
        }
        boolean first;
        synchronized (discoveryLock) {
            first = !primaryStale;
            primaryStale = true;
        }
        if (first) {
            HostAndPort lost = primary;
            LOG.warn("{}: primary {} lost ({}); evicting the pool's connections and looking for the primary",
                    config.name(), lost, e.getMessage());
            HikariPoolMXBean mx = pool.getHikariPoolMXBean();
            if (mx != null) {
                mx.softEvictConnections();
            }
            if (lost != null) {
                events.publish(new FailoverEvent.PrimaryLost(config.name(), lost, clock.instant(),
                        String.valueOf(e.getMessage())));
            }
            if (checker != null) {
                checker.execute(() -> refreshPrimary("after error: " + e.getMessage()));
            }
        }
    }

    private void periodicCheck() {
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

    /** The primary for a new write connection: the known one, or one found now. */
    private HostAndPort discover(String reason, boolean force) throws SQLException {
        HostAndPort known = primary;
        if (!force && known != null && !primaryStale) {
            return known;
        }
        if (config.discovery() == PrimaryDiscoveryMode.MULTIHOST) {
            // the probe connection observes where pgjdbc lands, which records the primary
            long start = ticker.read();
            try {
                connectMultiHost(false).close();
            } catch (SQLException | RuntimeException e) {
                discovered(start, DiscoveryRecorder.ERROR);
                throw e;
            }
            discovered(start, DiscoveryRecorder.FOUND);
            return primary;
        }
        synchronized (discoveryLock) {
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
                discovered(start, DiscoveryRecorder.ERROR);
                throw e;
            }
            discovered(start, found.isPresent() ? DiscoveryRecorder.FOUND : DiscoveryRecorder.NOT_FOUND);
            if (found.isEmpty()) {
                lastDiscoveryError = new SQLException(config.name() + ": no Patroni node reports itself primary "
                        + "(asked GET /primary on " + patroni.endpoints() + ")", "08001");
                throw lastDiscoveryError;
            }
            lastDiscoveryError = null;
            observe(found.get(), reason);
            return found.get();
        }
    }

    /** Told how long each primary discovery took; implemented by {@link PostgresFailoverMetrics}. */
    interface DiscoveryRecorder {
        int FOUND = 0;
        int NOT_FOUND = 1;
        int ERROR = 2;

        void discovered(long nanos, int result);
    }

    synchronized void addRecorder(DiscoveryRecorder recorder) {
        DiscoveryRecorder[] now = java.util.Arrays.copyOf(recorders, recorders.length + 1);
        now[now.length - 1] = Objects.requireNonNull(recorder, "recorder");
        recorders = now;
    }

    private void discovered(long start, int result) {
        long took = ticker.read() - start;
        for (DiscoveryRecorder r : recorders) {
            r.discovered(took, result);
        }
    }

    /** The HikariCP pools: the write pool, then the read pool if any (for the meters). */
    List<HikariDataSource> pools() {
        return readPool == null ? List.of(pool) : List.of(pool, readPool);
    }

    /** Records the primary actually connected to or found; a different one is a change. */
    private void observe(HostAndPort seen, String reason) {
        FailoverEvent event = null;
        synchronized (discoveryLock) {
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
        }
        if (event instanceof FailoverEvent.PrimaryChanged) {
            HikariPoolMXBean mx = pool == null ? null : pool.getHikariPoolMXBean();
            if (mx != null) {
                mx.softEvictConnections();
            }
        }
        if (event != null) {
            events.publish(event);
        }
    }

    /**
     * Adds a listener of the cluster's events ({@link FailoverEvent}: primary found, lost,
     * changed; no replica within the lag limit). Called once per event on the thread that noticed
     * it (a borrower's, HikariCP's or the background check's); keep it short. A listener that
     * throws is logged and skipped.
     *
     * @param listener the listener
     */
    public void addListener(EventListener<? super FailoverEvent> listener) {
        events.addListener(listener);
    }

    /**
     * Removes a listener.
     *
     * @param listener the listener
     * @return whether it was a listener
     */
    public boolean removeListener(EventListener<? super FailoverEvent> listener) {
        return events.removeListener(listener);
    }

    // ------------------------------------------------------------------ physical connections

    private Properties driverProperties(boolean read) {
        Properties p = config.driverProperties();
        if (config.user() != null) {
            p.setProperty("user", config.user());
        }
        if (config.password() != null) {
            p.setProperty("password", config.password());
        }
        p.setProperty("connectTimeout", Long.toString(config.connectTimeout().toSeconds()));
        p.setProperty("socketTimeout", Long.toString(config.socketTimeout().toSeconds()));
        p.setProperty("tcpKeepAlive", "true");
        // pgjdbc remembers each host's role for hostRecheckSeconds (10 s by default): too long
        // to notice a promotion
        p.setProperty("hostRecheckSeconds", "2");
        p.putIfAbsent("ApplicationName", config.name());
        if (read) {
            p.setProperty("targetServerType", "preferSecondary");
            p.setProperty("loadBalanceHosts", "true");
            p.setProperty("readOnly", "true");
        } else if (config.discovery() != PrimaryDiscoveryMode.NONE) {
            p.setProperty("targetServerType", "primary");
        }
        return p;
    }

    private String url(List<HostAndPort> hosts) {
        StringBuilder sb = new StringBuilder("jdbc:postgresql://");
        for (int i = 0; i < hosts.size(); i++) {
            HostAndPort h = hosts.get(i);
            if (i > 0) {
                sb.append(',');
            }
            sb.append(h.host().contains(":") ? "[" + h.host() + "]" : h.host()).append(':').append(h.port());
        }
        return sb.append('/').append(config.database()).toString();
    }

    private Connection connect(List<HostAndPort> hosts, boolean read) throws SQLException {
        Connection c = driver.connect(url(hosts), driverProperties(read));
        if (c == null) {
            throw new SQLException(config.name() + ": the PostgreSQL driver refused URL " + url(hosts), "08001");
        }
        return c;
    }

    private Connection connectMultiHost(boolean read) throws SQLException {
        Connection c = connect(config.hosts(), read);
        try {
            HostSpec spec = c.unwrap(BaseConnection.class).getQueryExecutor().getHostSpec();
            observe(new HostAndPort(spec.getHost(), spec.getPort()), "new connection");
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private Connection connectWrite() throws SQLException {
        switch (config.discovery()) {
            case NONE:
                return connect(config.hosts(), false);
            case MULTIHOST:
                return connectMultiHost(false);
            default:
                HostAndPort target = discover("new connection", false);
                try {
                    return connect(List.of(target), false);
                } catch (SQLException e) {
                    if (PrimaryLoss.isPrimaryLost(e)) {
                        synchronized (discoveryLock) {
                            if (target.equals(primary)) {
                                primaryStale = true;
                            }
                        }
                    }
                    throw e;
                }
        }
    }

    private Connection connectRead() throws SQLException {
        if (patroni != null && config.readMaxLag().isPresent()) {
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
            List<HostAndPort> hosts = readHosts;
            if (hosts.isEmpty()) {
                return connect(List.of(discover("read connection", false)), true);
            }
            return connect(hosts, true);
        }
        return connect(config.hosts(), true);
    }

    /** What HikariCP sees as its data source: opens one physical connection per call. */
    private final class Physical implements DataSource {
        private final boolean read;
        // HikariCP sets it from its connection timeout and waits this long for its filler on close
        private volatile int loginTimeoutSeconds;

        Physical(boolean read) {
            this.read = read;
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
                    return read ? connectRead() : connectWrite();
                } catch (SQLException e) {
                    if (!PrimaryLoss.isPrimaryLost(e)) {
                        LOG.warn("{}: cannot open a {} connection: {}", poolName(), read ? "read" : "write", e.getMessage());
                        throw e;
                    }
                    if (closed || ticker.read() + CONNECT_POLL_NANOS - deadline > 0) {
                        LOG.info("{}: no {} connection after {} ms: {}", poolName(), read ? "read" : "write",
                                TimeUnit.NANOSECONDS.toMillis(ticker.read() - start), e.getMessage());
                        throw e;
                    }
                    try {
                        sleeper.sleep(java.time.Duration.ofNanos(CONNECT_POLL_NANOS));
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

    // ------------------------------------------------------------------ the rest

    /**
     * The configuration.
     *
     * @return the configuration
     */
    public PostgresFailoverConfig config() {
        return config;
    }

    /**
     * The pool's name.
     *
     * @return the name
     */
    public String name() {
        return config.name();
    }

    /**
     * The Patroni client in {@link PrimaryDiscoveryMode#PATRONI} mode.
     *
     * @return the client, or empty in other modes
     */
    public Optional<PatroniClient> patroni() {
        return Optional.ofNullable(patroni);
    }

    /**
     * The write pool's HikariCP management bean (active/idle counts, soft eviction). Its type is
     * HikariCP's on purpose: it is the pool's standard management view.
     *
     * @return the bean
     */
    public HikariPoolMXBean poolMXBean() {
        return pool.getHikariPoolMXBean();
    }

    /**
     * A {@code database} health check reporting the primary, the replicas and their lag.
     *
     * @return the check
     */
    public HealthCheck healthCheck() {
        return new PostgresHealthCheck(this);
    }

    /** Stops the background check and closes the pools. */
    @Override
    public void close() {
        closed = true;
        if (checker != null) {
            checker.shutdownNow();
        }
        if (readPool != null) {
            readPool.close();
        }
        pool.close();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException(config.name() + ": credentials are set in PostgresFailoverConfig");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return pool.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || pool.isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return "FailoverDataSource{" + config.name() + ", primary " + primary + "}";
    }
}
