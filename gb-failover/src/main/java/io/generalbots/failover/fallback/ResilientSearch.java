package io.generalbots.failover.fallback;

import java.util.List;
import java.util.Objects;

import io.generalbots.failover.breaker.Breaker;
import io.generalbots.scaling.health.HealthCheck;
import io.generalbots.scaling.search.KnowledgeSearch;
import io.generalbots.scaling.search.SearchHit;
import io.generalbots.scaling.search.SearchRequest;

/**
 * The search facade of {@code fallback-vectordb-mode,keyword-search}: the vector search (e.g.
 * gb-sharding's Qdrant search) behind its breaker, and keyword search
 * ({@link PostgresKeywordSearch} or {@link InMemoryKeywordSearch}) when it fails or its breaker
 * is open. Scores of the two are not comparable; {@link #searchAnswered} says who answered.
 */
public final class ResilientSearch implements KnowledgeSearch {

    private final FallbackChain<SearchRequest, List<SearchHit>> chain;

    /**
     * Creates the facade.
     *
     * @param vector  the primary search
     * @param breaker its breaker (e.g. {@code breakers.breaker("vectordb")})
     * @param keyword the keyword search, or null when {@code fallback-vectordb-enabled} is false
     */
    public ResilientSearch(KnowledgeSearch vector, Breaker breaker, KnowledgeSearch keyword) {
        Objects.requireNonNull(vector, "vector");
        FallbackChain.Builder<SearchRequest, List<SearchHit>> b = FallbackChain
                .<SearchRequest, List<SearchHit>>custom(breaker.name()).primary("vector", breaker, vector::search);
        if (keyword != null) {
            b.fallback("keyword-search", keyword::search);
        }
        this.chain = b.build();
    }

    /**
     * The facade as {@code fallback-vectordb-*} configures it.
     *
     * @param vector   the primary search
     * @param breaker  its breaker
     * @param keyword  the keyword search
     * @param settings the fallback settings
     * @return the facade
     */
    public static ResilientSearch of(KnowledgeSearch vector, Breaker breaker, KnowledgeSearch keyword,
                                     FallbackSettings settings) {
        return new ResilientSearch(vector, breaker, settings.vectordbEnabled() ? keyword : null);
    }

    @Override
    public List<SearchHit> search(SearchRequest request) {
        return chain.call(request).value();
    }

    /**
     * Searches and says who answered ({@code vector} or {@code keyword-search}).
     *
     * @param request the request
     * @return the hits and who answered
     * @throws AllFailedException when no search answered
     */
    public Answer<List<SearchHit>> searchAnswered(SearchRequest request) {
        return chain.call(request);
    }

    /**
     * Degraded while keyword search serves.
     *
     * @return the check
     */
    public HealthCheck healthCheck() {
        return chain.healthCheck();
    }
}
