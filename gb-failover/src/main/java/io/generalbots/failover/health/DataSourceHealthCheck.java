package io.generalbots.failover.health;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;

import javax.sql.DataSource;

import io.generalbots.scaling.Checks;
import io.generalbots.scaling.health.HealthCheck;
import io.generalbots.scaling.health.HealthCheckResult;

/**
 * Checks a JDBC {@link DataSource}: borrows a connection and runs a short validation query
 * ({@code SELECT 1}) with a query timeout, so the database itself cancels a stuck query. A
 * connection or query failure throws (reported {@code error}); an unexpected answer is
 * {@code down}.
 */
public final class DataSourceHealthCheck implements HealthCheck {

    private final DataSource dataSource;
    private final int queryTimeoutSeconds;

    /**
     * A check with a 5 s query timeout.
     *
     * @param dataSource the data source (a pool, ideally)
     */
    public DataSourceHealthCheck(DataSource dataSource) {
        this(dataSource, Duration.ofSeconds(5));
    }

    /**
     * A check with the given query timeout (rounded up to whole seconds, as JDBC wants).
     *
     * @param dataSource   the data source
     * @param queryTimeout the query timeout, positive
     */
    public DataSourceHealthCheck(DataSource dataSource, Duration queryTimeout) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        Checks.requirePositive("queryTimeout", queryTimeout);
        this.queryTimeoutSeconds = (int) Math.max(1, (queryTimeout.toMillis() + 999) / 1000);
    }

    @Override
    public HealthCheckResult check() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(queryTimeoutSeconds);
            try (ResultSet rs = s.executeQuery("SELECT 1")) {
                return rs.next() && rs.getInt(1) == 1 ? HealthCheckResult.up() : HealthCheckResult.down("down");
            }
        }
    }
}
