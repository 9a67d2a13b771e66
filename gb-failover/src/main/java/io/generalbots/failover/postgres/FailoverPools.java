package io.generalbots.failover.postgres;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;

/**
 * One job of {@link FailoverDataSource}: the HikariCP pools, the write pool on the primary and,
 * when {@link PostgresFailoverConfig#readPool()} is on, the read pool on the replicas; set up from
 * the configuration, each over its {@link PhysicalDataSource}.
 */
final class FailoverPools {

    private final HikariDataSource write;
    private final HikariDataSource read;

    /**
     * Opens the pools.
     *
     * @param primaryLost   told of errors on write connections that mean the primary is lost
     * @param threadFactory the host's thread factory for HikariCP's threads, or null for HikariCP's own
     */
    FailoverPools(PostgresFailoverConfig config, DataSource writePhysical, DataSource readPhysical,
            Consumer<SQLException> primaryLost, ThreadFactory threadFactory) {
        this.write = new HikariDataSource(hikari(config, config.name(), writePhysical, config.maximumPoolSize(),
                config.minimumIdle(), false, primaryLost, threadFactory));
        this.read = config.readPool()
                ? new HikariDataSource(hikari(config, config.name() + "-read", readPhysical, config.readPoolSize(),
                        Math.min(1, config.readPoolSize()), true, primaryLost, threadFactory))
                : null;
    }

    private static HikariConfig hikari(PostgresFailoverConfig config, String poolName, DataSource physical, int max,
            int minIdle, boolean readOnly, Consumer<SQLException> primaryLost, ThreadFactory threadFactory) {
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
        if (threadFactory != null) {
            h.setThreadFactory(threadFactory);
        }
        // built in another class: an anonymous SQLExceptionOverride here would make the verifier load
        // HikariCP's interface with this class, before FailoverDataSource.of can say that HikariCP is missing
        h.setExceptionOverride(PrimaryLossOverride.of(readOnly, primaryLost));
        return h;
    }

    /** The write pool. */
    HikariDataSource write() {
        return write;
    }

    /** The read pool, or null when it is off. */
    HikariDataSource read() {
        return read;
    }

    /** The write pool, then the read pool if any. */
    List<HikariDataSource> all() {
        return read == null ? List.of(write) : List.of(write, read);
    }

    /** The write pool's connections are closed as soon as they are idle (in-use ones when returned). */
    void evictWrite() {
        HikariPoolMXBean mx = write.getHikariPoolMXBean();
        if (mx != null) {
            mx.softEvictConnections();
        }
    }

    /** Closes the read pool, then the write pool. */
    void close() {
        if (read != null) {
            read.close();
        }
        write.close();
    }
}
