package io.generalbots.sharding;

import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Log lines about one shard carry it as the SLF4J key-value pair {@code shard} (and, for a tenant
 * database, {@code tenant}), so that a multi-tenant server can filter its logs by them; the text
 * still starts with {@code [SHARD]} for plain layouts. Nothing is built when the level is off.
 */
final class ShardLog {

    /** The key of the shard's name. */
    static final String SHARD = "shard";
    /** The key of a tenant's database name. */
    static final String TENANT = "tenant";

    private ShardLog() {
    }

    static LoggingEventBuilder at(Logger log, Level level, String shard, boolean tenant) {
        LoggingEventBuilder b = log.atLevel(level);
        if (!log.isEnabledForLevel(level)) {
            return b;
        }
        b = b.addKeyValue(SHARD, shard);
        return tenant ? b.addKeyValue(TENANT, shard) : b;
    }
}
