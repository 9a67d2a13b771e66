package io.generalbots.scaling.search;

import java.util.Objects;
import java.util.Optional;

import io.generalbots.scaling.Checks;

/**
 * A knowledge-base search: the text the user asked, and its embedding when the caller has one
 * (vector backends need it; keyword backends use the text).
 *
 * @param botId    the bot whose knowledge base is searched (collection {@code kb_BOTID})
 * @param text     the query text
 * @param vector   the query embedding, or null when only keyword search is possible
 * @param limit    the most hits to return
 * @param shardKey the shard key (tenant or region) for custom-sharded collections, if any
 */
public record SearchRequest(String botId, String text, float[] vector, int limit, Optional<String> shardKey) {

    /**
     * Creates a request.
     *
     * @param botId    the bot
     * @param text     the query text
     * @param vector   the embedding, or null
     * @param limit    the most hits, 1..1000
     * @param shardKey the shard key, if any
     */
    public SearchRequest {
        Objects.requireNonNull(botId, "botId");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(shardKey, "shardKey");
        Checks.requireRange("limit", limit, 1, 1000);
        vector = vector == null ? null : vector.clone();
    }

    /**
     * A text-only request without a shard key.
     *
     * @param botId the bot
     * @param text  the query
     * @param limit the most hits
     * @return the request
     */
    public static SearchRequest ofText(String botId, String text, int limit) {
        return new SearchRequest(botId, text, null, limit, Optional.empty());
    }

    /**
     * The embedding (a copy), or null.
     *
     * @return the vector
     */
    @Override
    public float[] vector() {
        return vector == null ? null : vector.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SearchRequest r && botId.equals(r.botId) && text.equals(r.text)
                && java.util.Arrays.equals(vector, r.vector) && limit == r.limit && shardKey.equals(r.shardKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(botId, text, java.util.Arrays.hashCode(vector), limit, shardKey);
    }

    @Override
    public String toString() {
        return "SearchRequest[botId=" + botId + ", text=" + text + ", vector=" + (vector == null ? "none"
                : vector.length + " dims") + ", limit=" + limit + ", shardKey=" + shardKey.orElse("none") + "]";
    }
}
