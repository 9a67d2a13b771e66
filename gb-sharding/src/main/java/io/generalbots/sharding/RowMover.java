package io.generalbots.sharding;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.generalbots.scaling.Checks;
import io.generalbots.scaling.event.EventListener;
import io.generalbots.scaling.event.EventPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Moves the rows of one table whose shard key routes elsewhere under a new router, from a source
 * shard to their new shards, for hash and range sharding.
 *
 * <p>Per batch (keyset pagination over the id column): read up to {@code batchSize} rows of the
 * source, keep those whose key the new router sends elsewhere; for each target, insert them in
 * one transaction with {@code ON CONFLICT (id) DO NOTHING}; verify that the target now has every
 * one of those ids; then delete them from the source in one transaction. A crash anywhere leaves
 * each row at its source, at its target, or at both; running the move again completes it without
 * duplicates (the insert skips ids already copied) — the move is idempotent. The table must
 * exist on the targets with the same columns and a primary key (or unique constraint) on the id.
 *
 * <p>Rows of the moving keys that are written while the move runs are not covered: stop writes
 * to the moving keys (or route them to the new shard) first.
 *
 * <p>Progress is published to the listeners ({@link #addListener}) as {@link RowMoverEvent}s, on
 * the moving thread; a listener that throws is logged and never stops or breaks a move.
 */
public final class RowMover {

    private static final Logger LOG = LoggerFactory.getLogger(RowMover.class);

    private final ShardedDataSource shards;
    private final String table;
    private final String idColumn;
    private final String keyColumn;
    private final int batchSize;
    private final String tableName;
    private final EventPublisher<RowMoverEvent> events;

    /**
     * Creates a mover.
     *
     * @param shards    the data source reaching old and new shards by name
     * @param table     the table, a plain identifier
     * @param idColumn  its primary key column, a plain identifier
     * @param keyColumn its shard key column ({@code shard-key}), a plain identifier
     * @param batchSize rows read per batch, 1 to 100000
     */
    public RowMover(ShardedDataSource shards, String table, String idColumn, String keyColumn, int batchSize) {
        this.shards = Objects.requireNonNull(shards, "shards");
        this.tableName = table;
        this.table = ShardNames.quoteIdentifier(table);
        this.idColumn = ShardNames.quoteIdentifier(idColumn);
        this.keyColumn = keyColumn;
        ShardNames.quoteIdentifier(keyColumn);
        this.batchSize = Checks.requireRange("batchSize", batchSize, 1, 100_000);
        this.events = EventPublisher.of("row mover of " + table);
    }

    /**
     * A mover of {@code table} whose shard key column is the data source's {@code shard-key}
     * (default {@code user_id}), in batches of 1,000 rows.
     *
     * @param shards   the data source reaching old and new shards by name
     * @param table    the table, a plain identifier
     * @param idColumn its primary key column, a plain identifier
     * @return the mover
     */
    public static RowMover of(ShardedDataSource shards, String table, String idColumn) {
        return new RowMover(shards, table, idColumn, shards.settings().keyColumn(), 1_000);
    }

    /**
     * Adds a listener of the mover's progress. Called on the moving thread; a listener that
     * throws is logged and skipped.
     *
     * @param listener the listener
     */
    public void addListener(EventListener<? super RowMoverEvent> listener) {
        events.addListener(listener);
    }

    /**
     * Removes a listener.
     *
     * @param listener the listener
     * @return whether it was a listener
     */
    public boolean removeListener(EventListener<? super RowMoverEvent> listener) {
        return events.removeListener(listener);
    }

    /**
     * The outcome of a move.
     *
     * @param from    the source shard
     * @param scanned rows read at the source
     * @param moved   rows moved away
     * @param movedTo rows per target shard
     * @param batches batches read
     */
    public record Result(String from, long scanned, long moved, Map<String, Long> movedTo, int batches) {
        /**
         * Creates a result.
         *
         * @param from    the source shard
         * @param scanned rows read
         * @param moved   rows moved
         * @param movedTo rows per target
         * @param batches batches read
         */
        public Result {
            movedTo = Collections.unmodifiableMap(new LinkedHashMap<>(movedTo));
        }
    }

    /**
     * Moves the rows of {@code fromShard} that {@code newRouter} sends elsewhere.
     *
     * @param fromShard the source shard's name
     * @param newRouter the router after the rebalance
     * @return what was moved
     * @throws SQLException if a shard fails; re-run to complete the move
     */
    public Result move(String fromShard, ShardRouter newRouter) throws SQLException {
        Object lastId = null;
        long scanned = 0;
        long moved = 0;
        int batches = 0;
        Map<String, Long> movedTo = new LinkedHashMap<>();
        while (true) {
            List<String> columns = new ArrayList<>();
            List<Object[]> rows = new ArrayList<>();
            int idIndex;
            int keyIndex;
            try (Connection c = shards.connectionTo(fromShard);
                 PreparedStatement ps = c.prepareStatement("SELECT * FROM " + table
                         + (lastId == null ? "" : " WHERE " + idColumn + " > ?") + " ORDER BY " + idColumn + " LIMIT ?")) {
                int p = 1;
                if (lastId != null) {
                    ps.setObject(p++, lastId);
                }
                ps.setInt(p, batchSize);
                try (ResultSet rs = ps.executeQuery()) {
                    ResultSetMetaData md = rs.getMetaData();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        columns.add(md.getColumnName(i));
                    }
                    while (rs.next()) {
                        Object[] row = new Object[columns.size()];
                        for (int i = 0; i < row.length; i++) {
                            row[i] = rs.getObject(i + 1);
                        }
                        rows.add(row);
                    }
                }
            }
            idIndex = indexOf(columns, unquote(idColumn));
            keyIndex = indexOf(columns, keyColumn);
            if (rows.isEmpty()) {
                break;
            }
            batches++;
            scanned += rows.size();
            lastId = rows.get(rows.size() - 1)[idIndex];
            Map<String, List<Object[]>> byTarget = new LinkedHashMap<>();
            for (Object[] row : rows) {
                Object key = row[keyIndex];
                String target = key instanceof Number n && !(key instanceof Double || key instanceof Float
                        || key instanceof java.math.BigDecimal) ? newRouter.route(n.longValue())
                        : newRouter.route(String.valueOf(key));
                if (!target.equals(fromShard)) {
                    byTarget.computeIfAbsent(target, t -> new ArrayList<>()).add(row);
                }
            }
            List<Object> movingIds = new ArrayList<>();
            for (Map.Entry<String, List<Object[]>> e : byTarget.entrySet()) {
                copy(e.getKey(), columns, e.getValue(), idIndex);
                for (Object[] row : e.getValue()) {
                    movingIds.add(row[idIndex]);
                }
                movedTo.merge(e.getKey(), (long) e.getValue().size(), Long::sum);
            }
            events.publish(new RowMoverEvent.BatchCopied(tableName, fromShard, batches, movingIds.size()));
            if (!movingIds.isEmpty()) {
                delete(fromShard, movingIds);
                moved += movingIds.size();
            }
            ShardLog.at(LOG, Level.DEBUG, fromShard, false).log("[{}] {}: batch {} read {} rows, moved {}", fromShard,
                    table, batches, rows.size(), movingIds.size());
            if (rows.size() < batchSize) {
                break;
            }
        }
        ShardLog.at(LOG, Level.INFO, fromShard, false).log("[{}] {}: moved {} of {} rows to {}", fromShard, table,
                moved, scanned, movedTo);
        Result result = new Result(fromShard, scanned, moved, movedTo, batches);
        events.publish(new RowMoverEvent.MoveCompleted(tableName, result));
        return result;
    }

    private void copy(String target, List<String> columns, List<Object[]> rows, int idIndex) throws SQLException {
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" (");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(ShardNames.quoteIdentifier(columns.get(i)));
        }
        sql.append(") VALUES (").append("?, ".repeat(columns.size() - 1)).append("?) ON CONFLICT (")
                .append(idColumn).append(") DO NOTHING");
        try (Connection c = shards.connectionTo(target)) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                    for (Object[] row : rows) {
                        for (int i = 0; i < row.length; i++) {
                            ps.setObject(i + 1, row[i]);
                        }
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            List<Object> ids = new ArrayList<>(rows.size());
            rows.forEach(r -> ids.add(r[idIndex]));
            long present = countIds(c, ids);
            if (present != ids.size()) {
                throw new SQLException("verify failed on shard " + target + ": " + present + " of " + ids.size()
                        + " copied rows of " + table + " are there; nothing was deleted at the source");
            }
        }
    }

    private long countIds(Connection c, List<Object> ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table + " WHERE " + idColumn
                + " IN (" + "?, ".repeat(ids.size() - 1) + "?)")) {
            for (int i = 0; i < ids.size(); i++) {
                ps.setObject(i + 1, ids.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private void delete(String source, List<Object> ids) throws SQLException {
        try (Connection c = shards.connectionTo(source)) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE " + idColumn + " IN ("
                    + "?, ".repeat(ids.size() - 1) + "?)")) {
                for (int i = 0; i < ids.size(); i++) {
                    ps.setObject(i + 1, ids.get(i));
                }
                ps.executeUpdate();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static String unquote(String quoted) {
        return quoted.substring(1, quoted.length() - 1);
    }

    private static int indexOf(List<String> columns, String name) throws SQLException {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        throw new SQLException("column " + name + " is not in the table; its columns are " + columns);
    }
}
