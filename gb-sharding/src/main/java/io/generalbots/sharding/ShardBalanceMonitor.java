package io.generalbots.sharding;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Counts the rows of one table on every shard and reports the balance, flagging hotspots over
 * {@code shard-hotspot-ratio}. Call {@link #refresh()} on a schedule of your choice; the last
 * report feeds the gauges of {@link ShardBalanceMetrics}. A shard that cannot be counted is
 * logged and left out of that report.
 */
public final class ShardBalanceMonitor {

    private static final Logger LOG = LoggerFactory.getLogger(ShardBalanceMonitor.class);

    private final ShardedDataSource shards;
    private final String table;
    private final List<String> targets;
    private final double hotspotRatio;
    private volatile BalanceReport last;

    /**
     * Creates a monitor over the shards of a hash, range or geo data source.
     *
     * @param shards       the data source
     * @param table        the table to count, a plain identifier
     * @param hotspotRatio the ratio over which a shard is a hotspot ({@code shard-hotspot-ratio})
     */
    public ShardBalanceMonitor(ShardedDataSource shards, String table, double hotspotRatio) {
        this.shards = Objects.requireNonNull(shards, "shards");
        ShardNames.quoteIdentifier(table);
        this.table = table;
        this.targets = shards.router().targets();
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("a balance monitor needs a router with a fixed set of shards "
                    + "(hash, range or geo), but was " + shards.router().strategy());
        }
        this.hotspotRatio = hotspotRatio;
        this.last = BalanceReport.of(Map.of(), hotspotRatio);
    }

    /**
     * Counts the rows on every shard now.
     *
     * @return the new report
     */
    public BalanceReport refresh() {
        Map<String, Long> counts = new LinkedHashMap<>();
        String sql = "SELECT count(*) FROM " + ShardNames.quoteIdentifier(table);
        for (String shard : targets) {
            try (Connection c = shards.connectionTo(shard); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                counts.put(shard, rs.getLong(1));
            } catch (SQLException e) {
                ShardLog.at(LOG, Level.WARN, shard, false).log("[{}] rows of {} not counted: {}", shard, table,
                        e.getMessage());
            }
        }
        BalanceReport report = BalanceReport.of(counts, hotspotRatio);
        if (report.hasHotspot()) {
            LOG.atWarn().addKeyValue(ShardLog.SHARD, String.join(",", report.hotspots())).log(
                    "shard balance of {}: {} hold more than {} x the mean of {} rows", table,
                    report.hotspots(), hotspotRatio, Math.round(report.mean()));
        }
        last = report;
        return report;
    }

    /**
     * The last report (empty before the first refresh).
     *
     * @return the report
     */
    public BalanceReport last() {
        return last;
    }

    /**
     * The shards this monitor counts.
     *
     * @return the shard names
     */
    public List<String> shards() {
        return targets;
    }

    /**
     * The ratio to the mean over which a shard is a hotspot ({@code shard-hotspot-ratio}).
     *
     * @return the ratio
     */
    public double hotspotRatio() {
        return hotspotRatio;
    }

    /**
     * The table this monitor counts.
     *
     * @return the table
     */
    public String table() {
        return table;
    }
}
