package io.generalbots.failover.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;

import org.postgresql.core.BaseConnection;
import org.postgresql.util.HostSpec;

import io.generalbots.scaling.config.HostAndPort;

/**
 * One job of {@link FailoverDataSource}: opening one physical PostgreSQL connection through the
 * driver, to the primary for writes (the one the {@link PrimaryLocator} knows, or where pgjdbc's
 * {@code targetServerType=primary} lands) and to the replicas for reads. No pooling, no retry.
 */
final class Connector {

    private final PostgresFailoverConfig config;
    private final PrimaryLocator locator;
    private final org.postgresql.Driver driver = new org.postgresql.Driver();

    Connector(PostgresFailoverConfig config, PrimaryLocator locator) {
        this.config = config;
        this.locator = locator;
    }

    /** A connection for the write pool. */
    Connection connectWrite() throws SQLException {
        switch (config.discovery()) {
            case NONE:
                return connect(config.hosts(), false);
            case MULTIHOST:
                return connectMultiHost();
            default:
                HostAndPort target = locator.discover("new connection", false);
                try {
                    return connect(List.of(target), false);
                } catch (SQLException e) {
                    if (PrimaryLoss.isPrimaryLost(e)) {
                        locator.connectFailed(target);
                    }
                    throw e;
                }
        }
    }

    /** A connection for the read pool: a replica within the lag limit, else the primary. */
    Connection connectRead() throws SQLException {
        List<HostAndPort> hosts = locator.readHosts();
        if (hosts.isEmpty()) {
            return connect(List.of(locator.discover("read connection", false)), true);
        }
        return connect(hosts, true);
    }

    /** A write connection through pgjdbc's multi-host failover; where it landed is the primary. */
    Connection connectMultiHost() throws SQLException {
        Connection c = connect(config.hosts(), false);
        try {
            HostSpec spec = c.unwrap(BaseConnection.class).getQueryExecutor().getHostSpec();
            locator.observe(new HostAndPort(spec.getHost(), spec.getPort()), "new connection");
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private Connection connect(List<HostAndPort> hosts, boolean read) throws SQLException {
        Connection c = driver.connect(url(hosts), driverProperties(read));
        if (c == null) {
            throw new SQLException(config.name() + ": the PostgreSQL driver refused URL " + url(hosts), "08001");
        }
        return c;
    }

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
}
