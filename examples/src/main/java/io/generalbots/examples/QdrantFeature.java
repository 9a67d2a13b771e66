package io.generalbots.examples;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.generalbots.failover.breaker.BreakerRegistry;
import io.generalbots.failover.breaker.CircuitBreakerSettings;
import io.generalbots.failover.fallback.Answer;
import io.generalbots.failover.fallback.FallbackSettings;
import io.generalbots.failover.fallback.InMemoryKeywordSearch;
import io.generalbots.failover.fallback.ResilientSearch;
import io.generalbots.scaling.search.KnowledgeSearch;
import io.generalbots.scaling.search.SearchHit;
import io.generalbots.scaling.search.SearchRequest;
import io.generalbots.sharding.qdrant.EnsureResult;
import io.generalbots.sharding.qdrant.QdrantCollections;
import io.generalbots.sharding.qdrant.QdrantConnection;
import io.generalbots.sharding.qdrant.QdrantHealthCheck;
import io.generalbots.sharding.qdrant.QdrantKnowledgeSearch;
import io.generalbots.sharding.qdrant.QdrantSettings;

/**
 * gb-sharding's Qdrant part in the demo: on start, when {@code qdrant-host} is configured, it ensures
 * the bot's knowledge-base collection {@code kb_default} with the configured sharding, and prints what
 * it did; without {@code qdrant-host} it says it skipped. A Qdrant that cannot be reached is reported
 * and the demo goes on without it (as botserver would, with its keyword-search fallback).
 *
 * <p>It also serves {@code /api/search?q=...}: the Qdrant knowledge search (when configured) behind
 * the {@code vectordb} breaker, with keyword search over a few in-memory documents as the
 * {@code fallback-vectordb-mode,keyword-search} fallback, and registers a {@code vectordb} health
 * check (Qdrant's {@code healthCheck} RPC, or the fallback chain's state without Qdrant).
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
        KnowledgeSearch vector = request -> {
            throw new IllegalStateException("no qdrant-host configured");
        };
        if (settings.isConfigured()) {
            connection = QdrantConnection.of(settings);
            vector = new QdrantKnowledgeSearch(new QdrantCollections(connection));
        }
        installSearch(demo, vector);
        if (!settings.isConfigured()) {
            demo.out().println("qdrant: no qdrant-host configured; skipped ensuring collection kb_" + BOT_ID);
            return;
        }
        demo.addHealthCheck("vectordb", new QdrantHealthCheck(connection));
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

    private static void installSearch(DemoContext demo, KnowledgeSearch vector) {
        InMemoryKeywordSearch keyword = new InMemoryKeywordSearch();
        keyword.add(BOT_ID, "hours", "We are open from 9 to 17 on weekdays.");
        keyword.add(BOT_ID, "returns", "Returns are accepted within 30 days with the receipt.");
        keyword.add(BOT_ID, "contact", "Write to support or call us during opening hours.");
        ResilientSearch search = ResilientSearch.of(vector, BreakerRegistry.of(CircuitBreakerSettings.from(demo.config())).breaker("vectordb"),
                keyword, FallbackSettings.from(demo.config()));
        if (!demo.healthChecks().containsKey("vectordb")) {
            demo.addHealthCheck("vectordb", search.healthCheck());
        }
        demo.route("/api/search", exchange -> {
            String query = exchange.getRequestURI().getRawQuery();
            String q = query == null || !query.startsWith("q=") ? ""
                    : URLDecoder.decode(query.substring(2), StandardCharsets.UTF_8);
            if (q.isBlank()) {
                DemoHttp.send(exchange, 400, "text/plain; charset=utf-8", "missing ?q=words");
                return;
            }
            try {
                // the demo has no embedding model: the request has text only, so a vector search
                // cannot serve it and the keyword fallback answers
                Answer<List<SearchHit>> answer = search.searchAnswered(SearchRequest.ofText(BOT_ID, q, 3));
                DemoHttp.send(exchange, 200, "text/plain; charset=utf-8", answer.value().stream()
                        .map(SearchHit::text).collect(Collectors.joining(" | "))
                        + "  [answered by " + answer.answeredBy() + "]");
            } catch (RuntimeException e) {
                DemoHttp.send(exchange, 503, "text/plain; charset=utf-8", "search unavailable: " + e.getMessage());
            }
        });
    }

    @Override
    public void tour(DemoTour tour) throws Exception {
        tour.say("knowledge search: Qdrant behind the 'vectordb' breaker, keyword search as the fallback");
        tour.show("GET", "/api/search?q=opening+hours", tour.get("/api/search?q=opening+hours", Map.of()));
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
        }
    }
}
