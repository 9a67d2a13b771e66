package io.generalbots.examples;

import io.generalbots.sharding.qdrant.EnsureResult;
import io.generalbots.sharding.qdrant.QdrantCollections;
import io.generalbots.sharding.qdrant.QdrantConnection;
import io.generalbots.sharding.qdrant.QdrantSettings;

/**
 * gb-sharding's Qdrant part in the demo: on start, when {@code qdrant-host} is configured, it ensures
 * the bot's knowledge-base collection {@code kb_default} with the configured sharding, and prints what
 * it did; without {@code qdrant-host} it says it skipped. A Qdrant that cannot be reached is reported
 * and the demo goes on without it (as botserver would, with its keyword-search fallback).
 */
final class QdrantFeature implements DemoFeature {

    /** The demo's bot. */
    static final String BOT_ID = "default";

    private QdrantConnection connection;

    @Override
    public String name() {
        return "qdrant collection sharding";
    }

    @Override
    public void install(DemoContext demo) {
        QdrantSettings settings = QdrantSettings.from(demo.config());
        if (!settings.isConfigured()) {
            demo.out().println("qdrant: no qdrant-host configured; skipped ensuring collection kb_" + BOT_ID);
            return;
        }
        connection = QdrantConnection.shared(settings);
        try {
            EnsureResult result = new QdrantCollections(connection).ensureCollection(BOT_ID);
            demo.out().println("qdrant: collection kb_" + BOT_ID + " on " + connection.name() + ": "
                    + result.name().toLowerCase(java.util.Locale.ROOT) + " (" + settings.shardCount() + " shards, "
                    + "replication " + settings.replicationFactor() + ", write consistency "
                    + settings.writeConsistencyFactor() + ", " + settings.vectorSize() + " dims, "
                    + settings.distance().name().toLowerCase(java.util.Locale.ROOT) + ")");
        } catch (RuntimeException e) {
            demo.out().println("qdrant: could not ensure collection kb_" + BOT_ID + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
        }
    }
}
