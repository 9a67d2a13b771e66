package io.generalbots.scaling.search;

import java.util.Map;
import java.util.Objects;

/**
 * One search result.
 *
 * @param id      the document or point id
 * @param score   the backend's relevance score; higher is better (only comparable within one backend)
 * @param text    the matched text, when the backend has it
 * @param payload other stored fields
 */
public record SearchHit(String id, double score, String text, Map<String, Object> payload) {

    /**
     * Creates a hit.
     *
     * @param id      the id
     * @param score   the score
     * @param text    the text, or empty
     * @param payload other fields
     */
    public SearchHit {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
        payload = Map.copyOf(payload);
    }
}
