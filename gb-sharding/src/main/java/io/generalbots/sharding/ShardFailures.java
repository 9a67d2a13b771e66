package io.generalbots.sharding;

import java.sql.SQLException;

/**
 * Turns a failure to reach a shard into the {@link ShardUnavailableException} that names it, with
 * the message an operator needs (a missing database said as such) and the URL without its query
 * string (which may hold a password).
 */
final class ShardFailures {

    private static final String INVALID_CATALOG = "3D000";

    private ShardFailures() {
    }

    static ShardUnavailableException unavailable(ShardSettings settings, String shard, String url, Throwable e) {
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

    static String withoutQuery(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }
}
