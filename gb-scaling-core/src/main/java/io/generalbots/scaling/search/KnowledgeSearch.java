package io.generalbots.scaling.search;

import java.util.List;

/**
 * Search over a bot's knowledge base. gb-sharding implements it on Qdrant; gb-failover wraps one
 * in a fallback chain whose fallback is keyword search ({@code fallback-vectordb-mode,keyword-search}).
 * It lives in gb-scaling-core so that neither module depends on the other.
 */
@FunctionalInterface
public interface KnowledgeSearch {

    /**
     * Finds the best matches for a request.
     *
     * @param request what to search
     * @return the hits, best first, at most {@link SearchRequest#limit()}
     * @throws RuntimeException when the backend fails (the fallback chain catches it)
     */
    List<SearchHit> search(SearchRequest request);
}
