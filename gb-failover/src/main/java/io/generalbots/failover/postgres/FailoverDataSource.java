package io.generalbots.failover.postgres;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;

import org.slf4j.LoggerFactory;

import io.generalbots.scaling.DaemonThreads;
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
 * <p><b>Threads.</b> With a check interval ({@link PostgresFailoverConfig#checkInterval()}) and
 * discovery on, the primary is looked for in the background on a scheduler: by default a daemon
 * thread of its own, {@code gb-failover-primary-check-NAME}, stopped by {@link #close()}; or the
 * host's, given to {@link Builder#scheduler(ScheduledExecutorService)}, which {@link #close()} does
 * not shut down (it only cancels the data source's task). A host's
 * {@link Builder#threadFactory(ThreadFactory) ThreadFactory} makes the scheduler's thread and
 * HikariCP's threads.
 *
 * <p>One instance per cluster; per shard when each shard is a cluster (it needs only a host list).
 *
 * <p>The jobs live in package-private classes, as in HikariCP: {@code FailoverPools} sets up the
 * pools, {@code PhysicalDataSource} and {@code Connector} open physical connections,
 * {@code PrimaryLocator} knows and finds the primary, {@code RetryLoop} runs the caller's work.
 */
public final class FailoverDataSource implements DataSource, AutoCloseable {

    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(FailoverDataSource.class);

    private final PostgresFailoverConfig config;
    private final PatroniClient patroni;
    private final EventPublisher<FailoverEvent> events;
    private final PrimaryLocator locator;
    private final Connector connector;
    private final FailoverPools pools;
    private final RetryLoop retry;
    /** The primary check's scheduler, or null when there is no background check. */
    private final ScheduledExecutorService checker;
    private final boolean ownChecker;
    private final ScheduledFuture<?> checkTask;

    private volatile boolean closed;

    private FailoverDataSource(Builder b) {
        PostgresFailoverConfig config = b.config;
        this.config = config;
        this.events = EventPublisher.of("failover pool " + config.name());
        b.listeners.forEach(events::addListener);
        this.patroni = config.discovery() == PrimaryDiscoveryMode.PATRONI
                ? new PatroniClient(config.hosts(), config.patroniEndpoints(), config.patroniTimeout()) : null;
        boolean checks = !config.checkInterval().isZero() && config.discovery() != PrimaryDiscoveryMode.NONE;
        this.ownChecker = checks && b.scheduler == null;
        if (!checks) {
            this.checker = null;
        } else if (b.scheduler != null) {
            this.checker = b.scheduler;
        } else {
            ThreadFactory factory = b.threadFactory != null ? b.threadFactory
                    : DaemonThreads.named("gb-failover-primary-check-" + config.name());
            this.checker = Executors.newSingleThreadScheduledExecutor(factory);
        }
        Executor background = checker == null ? null : task -> {
            if (!closed) {
                checker.execute(task);
            }
        };
        // the pools' threads connect at once, through the connector and the locator: those come first
        this.locator = new PrimaryLocator(config, b.ticker, b.clock, patroni, events, this::probeMultiHost,
                this::evictWritePool, background);
        this.connector = new Connector(config, locator);
        try {
            this.pools = new FailoverPools(config,
                    new PhysicalDataSource(config, connector, false, b.ticker, b.sleeper, () -> closed),
                    new PhysicalDataSource(config, connector, true, b.ticker, b.sleeper, () -> closed),
                    locator::primaryLost, b.threadFactory);
        } catch (RuntimeException e) {
            if (ownChecker) {
                checker.shutdownNow();
            }
            throw e;
        }
        this.retry = new RetryLoop(config, b.ticker, b.sleeper, locator::primaryLost);
        if (checker != null) {
            long every = config.checkInterval().toMillis();
            this.checkTask = checker.scheduleWithFixedDelay(locator::periodicCheck, every, every, TimeUnit.MILLISECONDS);
        } else {
            this.checkTask = null;
        }
        LOG.info("{}: {} discovery over {}{}", config.name(), config.discovery().name().toLowerCase(),
                config.hosts(), pools.read() == null ? "" : ", read pool on");
    }

    /** Multi-host discovery: a probe connection, which tells the locator where pgjdbc landed. */
    private void probeMultiHost() throws SQLException {
        connector.connectMultiHost().close();
    }

    /** Soft-evicts the write pool; called by the locator, also while the pools are being built. */
    private void evictWritePool() {
        FailoverPools p = pools;
        if (p != null) {
            p.evictWrite();
        }
    }

    /**
     * Opens the pool(s). Startup does not fail while the cluster has no primary (during an
     * election): the pool starts empty and fills once one is found.
     *
     * @param config the configuration
     * @return the data source
     * @throws IllegalStateException when HikariCP or the PostgreSQL driver is not on the class path,
     *         naming the artifact to add
     */
    public static FailoverDataSource of(PostgresFailoverConfig config) {
        return custom(config).build();
    }

    /**
     * Opens the pool(s) with an injected clock (for tests and simulations); the same as
     * {@code custom(config).ticker(ticker).clock(clock).build()}.
     *
     * @param config the configuration
     * @param ticker monotonic time for deadlines and backoff
     * @param clock  wall time for events
     * @return the data source
     * @throws IllegalStateException when HikariCP or the PostgreSQL driver is not on the class path,
     *         naming the artifact to add
     */
    public static FailoverDataSource of(PostgresFailoverConfig config, Ticker ticker, Clock clock) {
        return custom(config).ticker(ticker).clock(clock).build();
    }

    /**
     * A builder for a data source that takes what the host already has: its scheduler or thread
     * factory, a clock, listeners that must not miss the first event.
     *
     * @param config the configuration
     * @return the builder
     */
    public static Builder custom(PostgresFailoverConfig config) {
        return new Builder(Objects.requireNonNull(config, "config"));
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
        return pools.write().getConnection();
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
        return retry.run(pools.write(), true, work, false, true);
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
        return retry.run(pools.write(), true, work, true, true);
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
        HikariDataSource readPool = pools.read();
        return readPool != null ? retry.run(readPool, false, work, true, false)
                : retry.run(pools.write(), true, work, true, false);
    }

    /**
     * The read pool (replicas, {@code targetServerType=preferSecondary}, {@code loadBalanceHosts}),
     * or the primary pool when the read pool is off.
     *
     * @return the data source for reads
     */
    public DataSource readDataSource() {
        HikariDataSource readPool = pools.read();
        return readPool != null ? readPool : this;
    }

    // ------------------------------------------------------------------ discovery

    /**
     * The primary as last found, if known and not marked stale by an error.
     *
     * @return the primary
     */
    public Optional<HostAndPort> primary() {
        return locator.primary();
    }

    /**
     * Looks for the primary now (Patroni: asks every node; multihost: opens a probe connection
     * with {@code targetServerType=primary}); a change is handled as after an error.
     *
     * @param reason why, for the log and the event
     * @return the primary, or empty if none was found
     */
    public Optional<HostAndPort> refreshPrimary(String reason) {
        return locator.refresh(reason);
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
            locator.primaryLost(error);
            return true;
        }
        return false;
    }

    /** Told how long each primary discovery took; implemented by {@link PostgresFailoverMetrics}. */
    interface DiscoveryRecorder {
        int FOUND = 0;
        int NOT_FOUND = 1;
        int ERROR = 2;

        void discovered(long nanos, int result);
    }

    void addRecorder(DiscoveryRecorder recorder) {
        locator.addRecorder(recorder);
    }

    /** The HikariCP pools: the write pool, then the read pool if any (for the meters). */
    List<HikariDataSource> pools() {
        return pools.all();
    }

    /**
     * Adds a listener of the cluster's events ({@link FailoverEvent}: primary found, lost,
     * changed; no replica within the lag limit). Called once per event on the thread that noticed
     * it (a borrower's, HikariCP's or the background check's); keep it short. A listener that
     * throws is logged and skipped. To see the first primary found, give the listener to
     * {@link Builder#listener} instead: the pool starts looking as soon as it is built.
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
        return pools.write().getHikariPoolMXBean();
    }

    /**
     * A {@code database} health check reporting the primary, the replicas and their lag.
     *
     * @return the check
     */
    public HealthCheck healthCheck() {
        return new PostgresHealthCheck(this);
    }

    /**
     * Stops the background check and closes the pools. A scheduler of the data source's own is
     * shut down; a host's ({@link Builder#scheduler}) is not: only the data source's task on it is
     * cancelled.
     */
    @Override
    public void close() {
        closed = true;
        if (checkTask != null) {
            checkTask.cancel(true);
        }
        if (ownChecker) {
            checker.shutdownNow();
        }
        pools.close();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException(config.name() + ": credentials are set in PostgresFailoverConfig");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pools.write().getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pools.write().setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pools.write().setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pools.write().getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pools.write().getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return pools.write().unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || pools.write().isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return "FailoverDataSource{" + config.name() + ", primary " + locator.lastKnown() + "}";
    }

    /**
     * Builds a {@link FailoverDataSource} from a configuration and what the host already has.
     * Every setter checks its argument.
     */
    public static final class Builder {
        private final PostgresFailoverConfig config;
        private Ticker ticker = Ticker.system();
        private Clock clock = Clock.systemUTC();
        private final Sleeper sleeper = Sleeper.system();
        private ScheduledExecutorService scheduler;
        private ThreadFactory threadFactory;
        private final List<EventListener<? super FailoverEvent>> listeners = new ArrayList<>();

        private Builder(PostgresFailoverConfig config) {
            this.config = config;
        }

        /**
         * Monotonic time for deadlines and backoff (default {@link Ticker#system()}).
         *
         * @param ticker the ticker
         * @return this
         */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * Wall time for events (default UTC).
         *
         * @param clock the clock
         * @return this
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The host's scheduler for the background primary check (default: a daemon thread of the
         * data source's own, {@code gb-failover-primary-check-NAME}). {@link FailoverDataSource#close()}
         * cancels the data source's task on it but does not shut it down: it is the host's.
         *
         * @param scheduler the scheduler
         * @return this
         */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * The host's factory for the threads the data source starts: the background check's (unless
         * a {@link #scheduler} is given) and HikariCP's (housekeeping, adding and closing
         * connections). Without one, the check runs on a daemon thread named
         * {@code gb-failover-primary-check-NAME} and HikariCP names its own.
         *
         * @param threadFactory the factory
         * @return this
         */
        public Builder threadFactory(ThreadFactory threadFactory) {
            this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
            return this;
        }

        /**
         * Adds a listener of the cluster's events, as {@link FailoverDataSource#addListener} does
         * once built, but in time for the first primary found.
         *
         * @param listener the listener
         * @return this
         */
        public Builder listener(EventListener<? super FailoverEvent> listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Opens the pool(s). Startup does not fail while the cluster has no primary (during an
         * election): the pool starts empty and fills once one is found.
         *
         * @return the data source
         * @throws IllegalStateException when HikariCP or the PostgreSQL driver is not on the class
         *         path, naming the artifact to add
         */
        public FailoverDataSource build() {
            OptionalDependency.HIKARICP.require("FailoverDataSource");
            OptionalDependency.POSTGRESQL.require("FailoverDataSource");
            return new FailoverDataSource(this);
        }
    }
}
