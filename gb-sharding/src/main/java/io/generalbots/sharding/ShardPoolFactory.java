package io.generalbots.sharding;

import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.generalbots.scaling.OptionalDependency;
import io.generalbots.scaling.event.EventPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Opens one shard's HikariCP pool from the settings: named after the shard, sized by the budget,
 * with pgjdbc's failover defaults ({@link #driverProperties}), the host's customizer and, once
 * {@link ShardedDataSourceMetrics} handed one over, HikariCP's meters. A tenant's database is made
 * to exist first when {@code shard-auto-create} is on.
 */
final class ShardPoolFactory implements ShardPools.Opener {

    /** The data source's logger: the lines are the data source's, as before the split. */
    private static final Logger LOG = LoggerFactory.getLogger(ShardedDataSource.class);

    private final ShardSettings settings;
    private final String user;
    private final String password;
    private final Consumer<HikariConfig> customizer;
    private final int poolSize;
    /** Null unless tenant databases are created on first use. */
    private final TenantDatabases databases;
    private final EventPublisher<ShardPoolEvent> events;
    /** The Micrometer registry for new pools' HikariCP meters; the first one handed over wins. */
    private final AtomicReference<Object> meterRegistry = new AtomicReference<>();

    ShardPoolFactory(ShardSettings settings, String user, String password, Consumer<HikariConfig> customizer,
            int poolSize, TenantDatabases databases, EventPublisher<ShardPoolEvent> events) {
        this.settings = settings;
        this.user = user;
        this.password = password;
        this.customizer = customizer;
        this.poolSize = poolSize;
        this.databases = databases;
        this.events = events;
    }

    /** Hands a Micrometer registry to the pools opened from now on; false if one was handed over already. */
    boolean meterRegistry(Object registry) {
        return meterRegistry.compareAndSet(null, registry);
    }

    @Override
    public ShardPool open(String shard, long deadlineNanos) throws SQLException {
        boolean tenant = settings.strategy() == ShardStrategy.TENANT;
        if (databases != null) {
            databases.ensure(shard, deadlineNanos);
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
        driverProperties(settings, url, shard).forEach((k, v) -> hc.addDataSourceProperty((String) k, v));
        Object meters = meterRegistry.get();
        if (meters != null) {
            hc.setMetricRegistry(meters);
        }
        customizer.accept(hc);
        HikariDataSource ds = new HikariDataSource(hc);
        ShardLog.at(LOG, Level.DEBUG, shard, tenant).log("[{}] pool opened: {} connections at most, {}", shard,
                poolSize, ShardFailures.withoutQuery(url));
        events.publish(new ShardPoolEvent.PoolOpened(shard, poolSize));
        return new ShardPool(shard, url, ds);
    }

    /**
     * pgjdbc's properties for a shard (or the admin database): {@code socketTimeout} and
     * {@code connectTimeout} from the settings, {@code ApplicationName=gb-shard SHARD} unless the URL
     * sets it, and {@code targetServerType=primary} for a multi-host URL unless it says otherwise.
     * None for another driver.
     */
    static Properties driverProperties(ShardSettings settings, String url, String shard) {
        Properties props = new Properties();
        if (!url.startsWith("jdbc:postgresql:")) {
            return props;
        }
        String lower = url.toLowerCase(Locale.ROOT);
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
}
