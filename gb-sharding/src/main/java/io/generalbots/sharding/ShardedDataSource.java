package io.generalbots.sharding;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.generalbots.scaling.event.EventListener;
import io.generalbots.scaling.event.EventPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import io.generalbots.scaling.OptionalDependency;

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
 * first use when {@code shard-auto-create} is true (once, however many threads ask), else it is a
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
 */
public final class ShardedDataSource implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ShardedDataSource.class);
    private static final String INVALID_CATALOG = "3D000";
    private static final String DUPLICATE_DATABASE = "42P04";

    private final ShardSettings settings;
    private final ShardRouter router;
    private final String user;
    private final String password;
    private final Consumer<HikariConfig> customizer;
    private final EventPublisher<ShardPoolEvent> events = EventPublisher.of("sharded data source");
    /** The Micrometer registry handed to new pools' HikariCP meters; set by {@link ShardedDataSourceMetrics}. */
    private volatile Object hikariRegistry;
    private volatile PoolRecorder[] recorders = new PoolRecorder[0];
    private final int maxPools;
    private final int poolSize;
    private final long waitNanos;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Open pools in access order: the first is the least recently used. */
    private final LinkedHashMap<String, ShardPool> pools = new LinkedHashMap<>(16, 0.75f, true);
    private final Set<String> creating = new HashSet<>();
    /** Evicted pools waiting for their borrowers. */
    private final Set<ShardPool> drainingPools = new HashSet<>();
    private int slots;
    private int draining;
    private boolean closed;

    private final ReentrantLock adminLock = new ReentrantLock();
    private final Set<String> knownDatabases = ConcurrentHashMap.newKeySet();
    private volatile ScheduledExecutorService drainTimer;
    private final Map<String, javax.sql.DataSource> ownDataSources;

    private ShardedDataSource(Builder b) {
        this.ownDataSources = Map.copyOf(b.ownDataSources);
        this.settings = b.settings;
        this.router = ShardRouter.of(b.settings);
        this.user = b.user;
        this.password = b.password;
        this.customizer = b.customizer;
        b.listeners.forEach(events::addListener);
        int reserve = settings.strategy() == ShardStrategy.TENANT && settings.autoCreate() ? 1 : 0;
        int usable = settings.connectionBudget() - reserve;
        this.poolSize = Math.min(settings.poolSize(), usable);
        if (poolSize < 1) {
            throw new IllegalArgumentException("shard-connection-budget must be at least 2 with shard-auto-create "
                    + "(one connection is kept for CREATE DATABASE), but was " + settings.connectionBudget());
        }
        this.maxPools = usable / poolSize;
        this.waitNanos = settings.connectTimeout().toNanos();
        // at build, not at the first connection with HikariCP's "No suitable driver"
        if (ownDataSources.isEmpty()) {
            OptionalDependency.requireJdbcDriver(settings.urlOf("shard"), "ShardedDataSource (shard-url-template)");
        }
        settings.urlOverrides().forEach((shard, url) -> {
            if (!ownDataSources.containsKey(shard)) {
                OptionalDependency.requireJdbcDriver(url, "ShardedDataSource (shard-url-" + shard + ")");
            }
        });
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
            if (closed) {
                throw new SQLException("ShardedDataSource is closed; cannot connect to " + shard);
            }
            try {
                Connection c = own.getConnection();
                acquired(shard, start, true);
                return c;
            } catch (SQLException | RuntimeException e) {
                acquired(shard, start, false);
                throw unavailable(shard, "the DataSource given for shard " + shard, e);
            }
        }
        ShardPool pool;
        try {
            pool = acquire(shard);
        } catch (SQLException | RuntimeException e) {
            acquired(shard, start, false);
            throw e;
        }
        Connection c;
        try {
            c = pool.dataSource.getConnection();
        } catch (SQLException | RuntimeException e) {
            release(pool);
            acquired(shard, start, false);
            throw unavailable(shard, pool.url, e);
        }
        acquired(shard, start, true);
        return wrap(c, pool);
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
        lock.lock();
        try {
            PoolRecorder[] now = java.util.Arrays.copyOf(recorders, recorders.length + 1);
            now[now.length - 1] = Objects.requireNonNull(recorder, "recorder");
            recorders = now;
        } finally {
            lock.unlock();
        }
    }

    /** Hands a Micrometer registry to the HikariCP pools opened from now on (the first one wins). */
    boolean hikariRegistry(Object registry) {
        lock.lock();
        try {
            if (hikariRegistry != null) {
                return false;
            }
            hikariRegistry = registry;
            return true;
        } finally {
            lock.unlock();
        }
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
        lock.lock();
        try {
            return new ArrayList<>(pools.keySet());
        } finally {
            lock.unlock();
        }
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

    // ---------------------------------------------------------------------------- pools

    private ShardPool acquire(String shard) throws SQLException {
        long deadline = System.nanoTime() + waitNanos;
        while (true) {
            ShardPool victim = null;
            lock.lock();
            try {
                if (closed) {
                    throw new SQLException("ShardedDataSource is closed; cannot connect to " + shard);
                }
                ShardPool p = pools.get(shard);
                if (p != null) {
                    p.borrowers++;
                    return p;
                }
                boolean create = false;
                if (!creating.contains(shard)) {
                    if (slots < maxPools) {
                        slots++;
                        creating.add(shard);
                        create = true;
                    } else {
                        victim = evictLocked();
                    }
                }
                if (!create && victim == null) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new ShardUnavailableException(shard, "shard " + shard + " is unavailable: the connection "
                                + "budget of " + settings.connectionBudget() + " (" + maxPools + " pools of " + poolSize
                                + ") is in use and no pool was returned within " + settings.connectTimeout().toMillis()
                                + " ms", "08004", null);
                    }
                    waitLocked(left);
                    continue;
                }
            } finally {
                lock.unlock();
            }
            if (victim != null) {
                closePool(victim);
                continue;
            }
            ShardPool created;
            try {
                created = open(shard);
            } catch (SQLException | RuntimeException e) {
                lock.lock();
                try {
                    slots--;
                    creating.remove(shard);
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
                throw e;
            }
            lock.lock();
            try {
                creating.remove(shard);
                if (closed) {
                    slots--;
                    changed.signalAll();
                    created.dataSource.close();
                    throw new SQLException("ShardedDataSource is closed; cannot connect to " + shard);
                }
                pools.put(shard, created);
                created.borrowers++;
                changed.signalAll();
                return created;
            } finally {
                lock.unlock();
            }
        }
    }

    private void waitLocked(long nanos) throws SQLException {
        try {
            changed.awaitNanos(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("interrupted while waiting for a shard pool", e);
        }
    }

    /**
     * Evicts the least recently used idle pool and returns it to be closed; if every pool is
     * busy and none is draining yet, starts draining the least recently used one and returns null.
     */
    private ShardPool evictLocked() {
        for (Iterator<Map.Entry<String, ShardPool>> it = pools.entrySet().iterator(); it.hasNext();) {
            ShardPool p = it.next().getValue();
            if (p.borrowers == 0) {
                it.remove();
                p.evicted = true;
                ShardLog.at(LOG, Level.DEBUG, p.shard, tenant()).log(
                        "[{}] pool evicted (least recently used, idle); budget {} connections", p.shard,
                        settings.connectionBudget());
                events.publish(new ShardPoolEvent.PoolEvicted(p.shard, 0));
                evicted(p.shard);
                return p;
            }
        }
        if (draining == 0 && !pools.isEmpty()) {
            Iterator<Map.Entry<String, ShardPool>> it = pools.entrySet().iterator();
            ShardPool p = it.next().getValue();
            it.remove();
            p.evicted = true;
            draining++;
            drainingPools.add(p);
            ShardLog.at(LOG, Level.INFO, p.shard, tenant()).log(
                    "[{}] pool evicted (least recently used); draining {} borrowed connections before closing",
                    p.shard, p.borrowers);
            events.publish(new ShardPoolEvent.PoolEvicted(p.shard, p.borrowers));
            evicted(p.shard);
            scheduleForcedClose(p);
        }
        return null;
    }

    private void release(ShardPool pool) {
        boolean close = false;
        lock.lock();
        try {
            pool.borrowers--;
            if (pool.evicted && pool.borrowers == 0 && !pool.closing) {
                pool.closing = true;
                draining--;
                drainingPools.remove(pool);
                close = true;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (close) {
            closeNow(pool);
        }
    }

    private void scheduleForcedClose(ShardPool pool) {
        ScheduledExecutorService timer = drainTimer;
        if (timer == null) {
            lock.lock();
            try {
                if (drainTimer == null) {
                    drainTimer = Executors.newSingleThreadScheduledExecutor(r -> {
                        Thread t = new Thread(r, "gb-shard-drain");
                        t.setDaemon(true);
                        return t;
                    });
                }
                timer = drainTimer;
            } finally {
                lock.unlock();
            }
        }
        timer.schedule(() -> {
            boolean close = false;
            lock.lock();
            try {
                if (!pool.closing) {
                    pool.closing = true;
                    draining--;
                    drainingPools.remove(pool);
                    close = true;
                }
            } finally {
                lock.unlock();
            }
            if (close) {
                ShardLog.at(LOG, Level.WARN, pool.shard, tenant()).log(
                        "[{}] pool closed with {} connections still borrowed after the drain timeout of {} ms",
                        pool.shard, pool.borrowers, settings.drainTimeout().toMillis());
                closeNow(pool);
            }
        }, settings.drainTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Closes an idle evicted pool and frees its slot. */
    private void closePool(ShardPool pool) {
        lock.lock();
        try {
            pool.closing = true;
        } finally {
            lock.unlock();
        }
        closeNow(pool);
    }

    private void closeNow(ShardPool pool) {
        try {
            pool.dataSource.close();
        } finally {
            lock.lock();
            try {
                slots--;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            ShardLog.at(LOG, Level.DEBUG, pool.shard, tenant()).log("[{}] pool closed", pool.shard);
            events.publish(new ShardPoolEvent.PoolClosed(pool.shard));
        }
    }

    private boolean tenant() {
        return settings.strategy() == ShardStrategy.TENANT;
    }

    private ShardPool open(String shard) throws SQLException {
        boolean tenant = settings.strategy() == ShardStrategy.TENANT;
        if (tenant && settings.autoCreate()) {
            ensureDatabase(shard);
        }
        String url = settings.urlOf(shard);
        OptionalDependency.requireJdbcDriver(url, "ShardedDataSource (shard " + shard + ")");
        HikariConfig hc = new HikariConfig();
        hc.setPoolName(shard);
        hc.setJdbcUrl(url);
        if (user != null) {
            hc.setUsername(user);
            hc.setPassword(password);
        }
        hc.setMaximumPoolSize(poolSize);
        hc.setMinimumIdle(tenant ? 0 : poolSize);
        hc.setConnectionTimeout(Math.max(250, settings.connectTimeout().toMillis()));
        hc.setInitializationFailTimeout(-1);
        Properties props = driverProperties(url, shard);
        props.forEach((k, v) -> hc.addDataSourceProperty((String) k, v));
        Object meters = hikariRegistry;
        if (meters != null) {
            hc.setMetricRegistry(meters);
        }
        customizer.accept(hc);
        HikariDataSource ds = new HikariDataSource(hc);
        ShardLog.at(LOG, Level.DEBUG, shard, tenant()).log("[{}] pool opened: {} connections at most, {}", shard,
                poolSize, withoutQuery(url));
        events.publish(new ShardPoolEvent.PoolOpened(shard, poolSize));
        return new ShardPool(shard, url, ds);
    }

    private Properties driverProperties(String url, String shard) {
        Properties props = new Properties();
        if (!url.startsWith("jdbc:postgresql:")) {
            return props;
        }
        String lower = url.toLowerCase(java.util.Locale.ROOT);
        props.setProperty("socketTimeout", Long.toString(settings.socketTimeout().toSeconds()));
        props.setProperty("connectTimeout", Long.toString(Math.max(1, settings.connectTimeout().toSeconds())));
        if (!lower.contains("applicationname=")) {
            props.setProperty("ApplicationName", "gb-shard " + shard);
        }
        String hosts = url.substring("jdbc:postgresql://".length()).split("[/?]", 2)[0];
        if (hosts.contains(",") && !lower.contains("targetservertype=")) {
            props.setProperty("targetServerType", "primary");
        }
        return props;
    }

    // ---------------------------------------------------------------------------- tenant databases

    /**
     * Creates a tenant database unless it exists. Serialized in this process, so that many
     * threads asking for the same new tenant create it once; another process creating it at the
     * same time is tolerated (duplicate_database).
     */
    private void ensureDatabase(String database) throws SQLException {
        if (knownDatabases.contains(database)) {
            return;
        }
        String quoted = ShardNames.quoteIdentifier(database);
        adminLock.lock();
        try {
            if (knownDatabases.contains(database)) {
                return;
            }
            Properties props = new Properties();
            if (user != null) {
                props.setProperty("user", user);
                props.setProperty("password", password);
            }
            props.putAll(driverProperties(settings.adminUrl(), "admin"));
            try (Connection c = DriverManager.getConnection(settings.adminUrl(), props)) {
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
            knownDatabases.add(database);
        } finally {
            adminLock.unlock();
        }
    }

    private ShardUnavailableException unavailable(String shard, String url, Throwable e) {
        if (e instanceof ShardUnavailableException sue) {
            return sue;
        }
        SQLException root = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                root = sql;
                if (INVALID_CATALOG.equals(sql.getSQLState())) {
                    String message = settings.strategy() == ShardStrategy.TENANT
                            ? "tenant database " + shard + " does not exist (shard-auto-create is "
                                    + settings.autoCreate() + ")"
                            : "the database of shard " + shard + " does not exist (" + withoutQuery(url) + ")";
                    return new ShardUnavailableException(shard, message, INVALID_CATALOG, e);
                }
            }
        }
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return new ShardUnavailableException(shard, "shard " + shard + " is unavailable (" + withoutQuery(url) + "): "
                + cause.getMessage(), root == null ? "08001" : root.getSQLState(), e);
    }

    private static String withoutQuery(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    // ---------------------------------------------------------------------------- connections

    private Connection wrap(Connection c, ShardPool pool) {
        AtomicBoolean returned = new AtomicBoolean();
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("close") && method.getParameterCount() == 0) {
                if (returned.compareAndSet(false, true)) {
                    try {
                        c.close();
                    } finally {
                        release(pool);
                    }
                }
                return null;
            }
            if (name.equals("isClosed") && method.getParameterCount() == 0 && returned.get()) {
                return Boolean.TRUE;
            }
            if (name.equals("toString") && method.getParameterCount() == 0) {
                return "ShardConnection[" + pool.shard + "]";
            }
            // identity, not the pooled connection's: equals must be reflexive on the proxy
            if (name.equals("equals") && method.getParameterCount() == 1) {
                return proxy == args[0];
            }
            if (name.equals("hashCode") && method.getParameterCount() == 0) {
                return System.identityHashCode(proxy);
            }
            return invoke(c, method, args);
        };
        return (Connection) Proxy.newProxyInstance(ShardedDataSource.class.getClassLoader(),
                new Class<?>[] {Connection.class}, handler);
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
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
     * Closes every pool, also evicted pools still draining. Borrowed connections are aborted by
     * HikariCP.
     */
    @Override
    public void close() {
        List<ShardPool> all;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            all = new ArrayList<>(pools.values());
            pools.clear();
            for (ShardPool p : drainingPools) {
                p.closing = true;
                all.add(p);
            }
            drainingPools.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (ShardPool p : all) {
            p.dataSource.close();
            events.publish(new ShardPoolEvent.PoolClosed(p.shard));
        }
        ScheduledExecutorService timer = drainTimer;
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private static final class ShardPool {
        final String shard;
        final String url;
        final HikariDataSource dataSource;
        int borrowers;
        boolean evicted;
        boolean closing;

        ShardPool(String shard, String url, HikariDataSource dataSource) {
            this.shard = shard;
            this.url = url;
            this.dataSource = dataSource;
        }
    }

    /** Builds a {@link ShardedDataSource}. */
    public static final class Builder {
        private final ShardSettings settings;
        private String user;
        private String password;
        private Consumer<HikariConfig> customizer = c -> { };
        private final List<EventListener<? super ShardPoolEvent>> listeners = new ArrayList<>();
        private final Map<String, javax.sql.DataSource> ownDataSources = new LinkedHashMap<>();

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
