package io.generalbots.sharding;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import com.zaxxer.hikari.HikariConfig;
import io.generalbots.scaling.OptionalDependency;
import io.generalbots.scaling.event.EventListener;
import io.generalbots.scaling.event.EventPublisher;

/**
 * Connections routed by shard key: one HikariCP pool per shard, created lazily and named after
 * its shard, bounded by a total connection budget.
 *
 * <pre>{@code
 * ShardSettings settings = ShardSettings.from(BotConfig.load(Path.of("config.csv")));
 * try (ShardedDataSource shards = ShardedDataSource.custom(settings).credentials("gb", secret).build();
 *      Connection c = shards.getConnection(userId)) {
 *     ...
 * }
 * }</pre>
 *
 * <p><b>Budget.</b> Each pool holds at most {@code shard-pool-size} connections and at most
 * {@code shard-connection-budget / shard-pool-size} pools are open (one connection is set aside
 * for {@code CREATE DATABASE} when {@code shard-auto-create} is on), so the server never sees
 * more than the budget. When a new shard needs a pool and none is free, the least recently used
 * pool is evicted: it takes no new borrowers, and it is closed once its borrowed connections are
 * returned (or after {@code shard-drain-timeout}). A caller waits up to
 * {@code shard-connect-timeout} for room.
 *
 * <p><b>Failures.</b> A shard whose server is down fails only the keys routed to it, with a
 * {@link ShardUnavailableException} naming the shard. A missing tenant database is created on
 * first use when {@code shard-auto-create} is true (once, however many threads ask; one creation
 * at a time, and a caller waits for another's at most {@code shard-connect-timeout}), else it is a
 * {@link ShardUnavailableException} naming the database.
 *
 * <p><b>Defaults for failover.</b> pgjdbc's {@code socketTimeout} is set from
 * {@code shard-socket-timeout} (pgjdbc's own default, 0, lets a dead server hang a thread), and a
 * multi-host URL gets {@code targetServerType=primary} unless it says otherwise. Tenant pools
 * have {@code minimumIdle} 0, so an idle tenant holds no connection.
 *
 * <p><b>Events.</b> Pools opened, evicted and closed and tenant databases created are published to
 * the listeners ({@link #addListener}, {@link Builder#listener}) as {@link ShardPoolEvent}s; a
 * listener that throws is logged and never leaves a pool unclosed or miscounted.
 *
 * <p><b>Threads.</b> Callers block only on locks and conditions ({@code java.util.concurrent}),
 * never on a monitor, so virtual threads do not pin their carrier. The one background task, the
 * forced close of a busy evicted pool after {@code shard-drain-timeout}, runs on the host's
 * scheduler ({@link Builder#scheduler}, not shut down by {@link #close()}) or on one thread of this
 * data source's own, made when a busy pool is first evicted, by the host's
 * {@link Builder#threadFactory} or as the daemon thread {@code gb-shard-drain}, and stopped by
 * {@link #close()}. HikariCP's pools have their own housekeeping threads, as HikariCP makes them.
 */
public final class ShardedDataSource implements AutoCloseable {

    private final ShardSettings settings;
    private final ShardRouter router;
    private final EventPublisher<ShardPoolEvent> events = EventPublisher.of("sharded data source");
    private final ReentrantLock recordersLock = new ReentrantLock();
    private volatile PoolRecorder[] recorders = new PoolRecorder[0];
    private final int maxPools;
    private final Map<String, javax.sql.DataSource> ownDataSources;
    private final ShardPoolFactory poolFactory;
    private final ShardPools pools;

    private ShardedDataSource(Builder b) {
        this.ownDataSources = Map.copyOf(b.ownDataSources);
        this.settings = b.settings;
        this.router = ShardRouter.of(b.settings);
        b.listeners.forEach(events::addListener);
        boolean autoCreate = settings.strategy() == ShardStrategy.TENANT && settings.autoCreate();
        int usable = settings.connectionBudget() - (autoCreate ? 1 : 0);
        int poolSize = Math.min(settings.poolSize(), usable);
        if (poolSize < 1) {
            throw new IllegalArgumentException("shard-connection-budget must be at least 2 with shard-auto-create "
                    + "(one connection is kept for CREATE DATABASE), but was " + settings.connectionBudget());
        }
        this.maxPools = usable / poolSize;
        // at build, not at the first connection with HikariCP's "No suitable driver"
        if (ownDataSources.isEmpty()) {
            OptionalDependency.requireJdbcDriver(settings.urlOf("shard"), "ShardedDataSource (shard-url-template)");
        }
        settings.urlOverrides().forEach((shard, url) -> {
            if (!ownDataSources.containsKey(shard)) {
                OptionalDependency.requireJdbcDriver(url, "ShardedDataSource (shard-url-" + shard + ")");
            }
        });
        TenantDatabases databases = autoCreate ? new TenantDatabases(adminConnector(b.user, b.password), events) : null;
        this.poolFactory = new ShardPoolFactory(settings, b.user, b.password, b.customizer, poolSize, databases, events);
        this.pools = new ShardPools(settings, maxPools, poolSize, poolFactory,
                new DrainTimer(b.scheduler, b.threadFactory), events, this::evicted);
    }

    private TenantDatabases.AdminConnector adminConnector(String user, String password) {
        String url = settings.adminUrl();
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
            props.setProperty("password", password);
        }
        props.putAll(ShardPoolFactory.driverProperties(settings, url, "admin"));
        return () -> DriverManager.getConnection(url, props);
    }

    /**
     * A builder over settings read from {@code config.csv}.
     *
     * @param settings the settings; {@code shard-strategy} must be set
     * @return the builder
     */
    public static Builder custom(ShardSettings settings) {
        return new Builder(settings);
    }

    /**
     * The router in use.
     *
     * @return the router
     */
    public ShardRouter router() {
        return router;
    }

    /**
     * A connection to the shard of a key; close it to give it back.
     *
     * @param key the shard key
     * @return the connection
     * @throws ShardUnavailableException if the shard cannot serve
     * @throws ShardRoutingException     if the key cannot be routed
     * @throws SQLException              if this data source is closed
     */
    public Connection getConnection(String key) throws SQLException {
        return connectionTo(router.route(key));
    }

    /**
     * A connection to the shard of an integer key; close it to give it back.
     *
     * @param key the shard key
     * @return the connection
     * @throws ShardUnavailableException if the shard cannot serve
     * @throws SQLException              if this data source is closed
     */
    public Connection getConnection(long key) throws SQLException {
        return connectionTo(router.route(key));
    }

    /**
     * A connection to a shard by its name (a router's target).
     *
     * @param shard the shard, e.g. {@code shard-1} or {@code gb_tenant_acme}
     * @return the connection
     * @throws ShardUnavailableException if the shard cannot serve
     * @throws SQLException              if this data source is closed
     */
    public Connection connectionTo(String shard) throws SQLException {
        Objects.requireNonNull(shard, "shard");
        long start = System.nanoTime();
        javax.sql.DataSource own = ownDataSources.get(shard);
        if (own != null) {
            if (pools.isClosed()) {
                throw new SQLException("ShardedDataSource is closed; cannot connect to " + shard);
            }
            try {
                Connection c = own.getConnection();
                acquired(shard, start, true);
                return c;
            } catch (SQLException | RuntimeException e) {
                acquired(shard, start, false);
                throw ShardFailures.unavailable(settings, shard, "the DataSource given for shard " + shard, e);
            }
        }
        ShardPool pool;
        try {
            pool = pools.acquire(shard);
        } catch (SQLException | RuntimeException e) {
            acquired(shard, start, false);
            throw e;
        }
        Connection c;
        try {
            c = pool.dataSource.getConnection();
        } catch (SQLException | RuntimeException e) {
            pools.release(pool);
            acquired(shard, start, false);
            throw ShardFailures.unavailable(settings, shard, pool.url, e);
        }
        acquired(shard, start, true);
        return ShardConnection.wrap(c, shard, () -> pools.release(pool));
    }

    /**
     * Told how long each {@link #connectionTo} took (waiting for room in the budget, opening the
     * pool, borrowing from it) and of each eviction; implemented by {@link ShardedDataSourceMetrics}.
     */
    interface PoolRecorder {
        void acquired(String shard, long nanos, boolean ok);

        void evicted(String shard);
    }

    void addRecorder(PoolRecorder recorder) {
        Objects.requireNonNull(recorder, "recorder");
        recordersLock.lock();
        try {
            PoolRecorder[] now = Arrays.copyOf(recorders, recorders.length + 1);
            now[now.length - 1] = recorder;
            recorders = now;
        } finally {
            recordersLock.unlock();
        }
    }

    /** Hands a Micrometer registry to the HikariCP pools opened from now on (the first one wins). */
    boolean hikariRegistry(Object registry) {
        return poolFactory.meterRegistry(registry);
    }

    private void acquired(String shard, long start, boolean ok) {
        PoolRecorder[] rs = recorders;
        if (rs.length > 0) {
            long took = System.nanoTime() - start;
            for (PoolRecorder r : rs) {
                r.acquired(shard, took, ok);
            }
        }
    }

    private void evicted(String shard) {
        for (PoolRecorder r : recorders) {
            r.evicted(shard);
        }
    }

    /**
     * The shards that have an open pool, least recently used first.
     *
     * @return the shard names
     */
    public List<String> openShards() {
        return pools.openShards();
    }

    /**
     * The most pools open at once under the budget.
     *
     * @return the pool limit
     */
    public int maxPools() {
        return maxPools;
    }

    /**
     * The settings this data source was built from.
     *
     * @return the settings
     */
    public ShardSettings settings() {
        return settings;
    }

    /**
     * The JDBC URL a shard connects to.
     *
     * @param shard the shard
     * @return its URL
     */
    public String urlOf(String shard) {
        return settings.urlOf(shard);
    }

    /**
     * Adds a listener of pool events ({@link ShardPoolEvent}: opened, evicted, closed, tenant
     * database created). Called on the thread that caused the event, sometimes while the pools'
     * lock is held: keep it short and do not call the data source from it. A listener that throws
     * is logged and skipped; the pool it was told about is still opened, counted and closed.
     *
     * @param listener the listener
     */
    public void addListener(EventListener<? super ShardPoolEvent> listener) {
        events.addListener(listener);
    }

    /**
     * Removes a listener.
     *
     * @param listener the listener
     * @return whether it was a listener
     */
    public boolean removeListener(EventListener<? super ShardPoolEvent> listener) {
        return events.removeListener(listener);
    }

    /**
     * Closes every pool, also evicted pools still draining, and stops the drain thread if this data
     * source made one (a scheduler given with {@link Builder#scheduler} keeps running; the forced
     * closes pending on it are cancelled). Borrowed connections are aborted by HikariCP. Shards given
     * with {@link Builder#shardDataSource} are not closed.
     */
    @Override
    public void close() {
        pools.close();
    }

    /** Builds a {@link ShardedDataSource}. */
    public static final class Builder {
        private final ShardSettings settings;
        private String user;
        private String password;
        private Consumer<HikariConfig> customizer = c -> { };
        private final List<EventListener<? super ShardPoolEvent>> listeners = new ArrayList<>();
        private final Map<String, javax.sql.DataSource> ownDataSources = new LinkedHashMap<>();
        private ScheduledExecutorService scheduler;
        private ThreadFactory threadFactory;

        private Builder(ShardSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            if (settings.strategy() == ShardStrategy.NONE) {
                throw new IllegalArgumentException("shard-strategy must be one of tenant, hash, range, geo to open "
                        + "shard pools, but was not set");
            }
        }

        /**
         * The database user and password of every shard (and of {@code CREATE DATABASE}).
         *
         * @param user     the user
         * @param password the password
         * @return this builder
         */
        public Builder credentials(String user, String password) {
            this.user = Objects.requireNonNull(user, "user");
            this.password = password;
            return this;
        }

        /**
         * A hook that may change each pool's HikariCP configuration after gb-sharding set it
         * (e.g. {@code leakDetectionThreshold}); the pool size is best left to the budget. Its type
         * is HikariCP's on purpose: reaching the pool's own settings is the point of the hook.
         *
         * @param customizer the hook
         * @return this builder
         */
        public Builder poolCustomizer(Consumer<HikariConfig> customizer) {
            this.customizer = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        /**
         * A shard served by a {@code DataSource} the host built, instead of a pool this data source
         * opens from the shard's URL: typically a shard that is itself a PostgreSQL cluster with
         * failover (gb-failover's {@code FailoverDataSource}, which writes to the current primary).
         * Its connections come straight from that {@code DataSource} (it has its own pool, outside
         * {@code shard-connection-budget}); closing this data source does not close it.
         *
         * @param shard      the shard's name, as the router returns it (e.g. {@code shard-3})
         * @param dataSource its data source
         * @return this builder
         * @throws IllegalArgumentException if the shard was given one already
         */
        public Builder shardDataSource(String shard, javax.sql.DataSource dataSource) {
            Objects.requireNonNull(shard, "shard");
            Objects.requireNonNull(dataSource, "dataSource");
            if (ownDataSources.putIfAbsent(shard, dataSource) != null) {
                throw new IllegalArgumentException("shard " + shard + " is given a DataSource twice");
            }
            return this;
        }

        /**
         * Adds a listener of pool events, as {@link ShardedDataSource#addListener} does once built.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(EventListener<? super ShardPoolEvent> listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * The host's scheduler for the forced close of busy evicted pools after
         * {@code shard-drain-timeout} (default: one daemon thread of the data source's own,
         * {@code gb-shard-drain}). {@link ShardedDataSource#close()} cancels the closes still
         * pending on it but does not shut it down: it is the host's.
         *
         * @param scheduler the scheduler
         * @return this builder
         */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * The factory of the data source's own drain thread, when no {@link #scheduler} is given
         * (default: a daemon thread named {@code gb-shard-drain}). The thread is made when a busy
         * pool is first evicted and stopped by {@link ShardedDataSource#close()}. With a
         * {@link #scheduler} the data source makes no thread and does not use the factory.
         *
         * @param threadFactory the factory
         * @return this builder
         */
        public Builder threadFactory(ThreadFactory threadFactory) {
            this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
            return this;
        }

        /**
         * Builds the data source; no pool is opened until a key needs it.
         *
         * @return the data source
         * @throws IllegalStateException when no JDBC driver on the class path accepts the shards' URLs:
         *         {@code ShardedDataSource (shard-url-template) needs the PostgreSQL JDBC driver on the
         *         class path: add org.postgresql:postgresql (managed by gb-dependencies)}
         */
        public ShardedDataSource build() {
            return new ShardedDataSource(this);
        }
    }

}
