package io.generalbots.failover.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.generalbots.scaling.health.HealthCheck;
import io.generalbots.scaling.health.HealthCheckResult;

/**
 * The {@code database} health check of a {@link FailoverDataSource}.
 *
 * <p>In patroni mode it reads {@code GET /cluster} and reports {@code primary} (HOST:PORT),
 * {@code replicas} (name, address, state, lag in bytes), {@code nodes} (each node's Patroni
 * {@code GET /health}: {@code running}, {@code down} or {@code unreachable}) and {@code pool}: {@code ok} when a
 * running leader exists and every replica runs within the read pool's maximum lag (when set);
 * {@code degraded} when the primary runs but a replica is missing, stopped or lagging (the next
 * failover would lose data or have nowhere to go); {@code down} without a running leader. In the
 * other modes it borrows a connection and checks {@code pg_is_in_recovery()} is false:
 * {@code ok} with the primary's address, or {@code down}.
 */
public final class PostgresHealthCheck implements HealthCheck {

    private final FailoverDataSource db;

    /**
     * Creates the check.
     *
     * @param db the data source to report on
     */
    public PostgresHealthCheck(FailoverDataSource db) {
        this.db = db;
    }

    @Override
    public HealthCheckResult check() throws Exception {
        Optional<PatroniClient> patroni = db.patroni();
        if (patroni.isPresent()) {
            return fromPatroni(patroni.get());
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("pool", db.name());
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            if (rs.getBoolean(1)) {
                details.put("error", "the pool's server is in recovery (a replica)");
                return new HealthCheckResult(HealthCheckResult.Status.DOWN, "down", details);
            }
        }
        db.primary().ifPresent(p -> details.put("primary", p.toString()));
        details.put("hosts", db.config().hosts().toString());
        return HealthCheckResult.up(details);
    }

    private HealthCheckResult fromPatroni(PatroniClient patroni) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("pool", db.name());
        Optional<List<PatroniClient.Member>> cluster = patroni.cluster();
        if (cluster.isEmpty()) {
            details.put("error", "no Patroni REST API answered on " + patroni.endpoints());
            return new HealthCheckResult(HealthCheckResult.Status.DOWN, "down", details);
        }
        long maxLag = db.config().readMaxLag().orElse(Long.MAX_VALUE);
        PatroniClient.Member leader = null;
        boolean replicasHealthy = true;
        List<Map<String, Object>> replicas = new ArrayList<>();
        for (PatroniClient.Member m : cluster.get()) {
            if (m.isLeader()) {
                leader = m;
                continue;
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", m.name());
            r.put("address", m.address().toString());
            r.put("role", m.role());
            r.put("state", m.state());
            r.put("lag", m.lag());
            replicas.add(r);
            replicasHealthy &= m.isRunning() && m.lag() >= 0 && m.lag() <= maxLag;
        }
        details.put("replicas", replicas);
        // GET /health on every node: 200 while its PostgreSQL runs, whatever its role
        List<Integer> health = patroni.statusOfAll("/health");
        Map<String, Object> nodes = new LinkedHashMap<>();
        for (int i = 0; i < health.size(); i++) {
            int code = health.get(i);
            nodes.put(patroni.endpoints().get(i).toString(), code == 200 ? "running" : code < 0 ? "unreachable" : "down");
        }
        details.put("nodes", nodes);
        if (leader == null || !leader.isRunning()) {
            details.put("error", leader == null ? "no leader" : "leader " + leader.name() + " is " + leader.state());
            return new HealthCheckResult(HealthCheckResult.Status.DOWN, "down", details);
        }
        details.put("primary", leader.address().toString());
        if (replicas.isEmpty() || !replicasHealthy) {
            return new HealthCheckResult(HealthCheckResult.Status.DEGRADED, "degraded", details);
        }
        return HealthCheckResult.up(details);
    }
}
