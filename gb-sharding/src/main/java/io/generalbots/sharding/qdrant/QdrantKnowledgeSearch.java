package io.generalbots.sharding.qdrant;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.generalbots.scaling.search.KnowledgeSearch;
import io.generalbots.scaling.search.SearchHit;
import io.generalbots.scaling.search.SearchRequest;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.ScoredPoint;

/**
 * {@link KnowledgeSearch} on Qdrant: searches {@code kb_BOTID} with the request's embedding, in the
 * request's shard key. The payload field {@code text} becomes {@link SearchHit#text()}; the other
 * payload fields become {@link SearchHit#payload()}. gb-failover's fallback chain wraps it and turns
 * to keyword search when this throws.
 *
 * <p>A request without an embedding is refused ({@link IllegalArgumentException}). With custom
 * sharding, a request without a shard key is refused too, unless this search was created with
 * {@code fanOutWithoutShardKey} true, in which case it searches every shard.
 */
public final class QdrantKnowledgeSearch implements KnowledgeSearch {

    /** The payload field holding a point's text. */
    public static final String TEXT_FIELD = "text";

    private final QdrantCollections collections;
    private final boolean fanOutWithoutShardKey;

    /**
     * A search that refuses, with custom sharding, requests without a shard key.
     *
     * @param collections the collections
     */
    public QdrantKnowledgeSearch(QdrantCollections collections) {
        this(collections, false);
    }

    /**
     * A search that, with custom sharding, either refuses requests without a shard key or searches
     * every shard for them.
     *
     * @param collections           the collections
     * @param fanOutWithoutShardKey true to search every shard when a request has no shard key
     */
    public QdrantKnowledgeSearch(QdrantCollections collections, boolean fanOutWithoutShardKey) {
        this.collections = Objects.requireNonNull(collections, "collections");
        this.fanOutWithoutShardKey = fanOutWithoutShardKey;
    }

    @Override
    public List<SearchHit> search(SearchRequest request) {
        float[] vector = request.vector();
        if (vector == null) {
            throw new IllegalArgumentException("Qdrant search of bot " + request.botId()
                    + " needs the query's embedding, but the request has only text");
        }
        ShardScope scope = request.shardKey().isPresent() ? ShardScope.key(request.shardKey().get())
                : fanOutWithoutShardKey ? ShardScope.allShards() : ShardScope.none();
        List<ScoredPoint> points = collections.search(request.botId(), scope, vector, request.limit());
        List<SearchHit> hits = new ArrayList<>(points.size());
        for (ScoredPoint point : points) {
            Map<String, Object> payload = new LinkedHashMap<>();
            String text = "";
            for (Map.Entry<String, Value> e : point.getPayloadMap().entrySet()) {
                Object value = toJava(e.getValue());
                if (e.getKey().equals(TEXT_FIELD) && value instanceof String s) {
                    text = s;
                } else if (value != null) {
                    payload.put(e.getKey(), value);
                }
            }
            hits.add(new SearchHit(id(point.getId()), point.getScore(), text, payload));
        }
        return hits;
    }

    private static String id(PointId id) {
        return id.hasUuid() ? id.getUuid() : Long.toUnsignedString(id.getNum());
    }

    static Object toJava(Value v) {
        switch (v.getKindCase()) {
            case STRING_VALUE:
                return v.getStringValue();
            case INTEGER_VALUE:
                return v.getIntegerValue();
            case DOUBLE_VALUE:
                return v.getDoubleValue();
            case BOOL_VALUE:
                return v.getBoolValue();
            case LIST_VALUE: {
                List<Object> list = new ArrayList<>();
                for (Value item : v.getListValue().getValuesList()) {
                    list.add(toJava(item));
                }
                return Collections.unmodifiableList(list);
            }
            case STRUCT_VALUE: {
                Map<String, Object> map = new LinkedHashMap<>();
                v.getStructValue().getFieldsMap().forEach((k, item) -> map.put(k, toJava(item)));
                return Collections.unmodifiableMap(map);
            }
            default:
                return null;
        }
    }
}
