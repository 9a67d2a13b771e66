package io.generalbots.sharding.qdrant;

import java.util.List;

import io.generalbots.scaling.GbScalingException;

/**
 * An existing collection differs from the settings in something that cannot change on a live
 * collection (shard count, vector size, distance, sharding method). The message says what differs;
 * fix the settings, or re-create the collection and re-index.
 */
public final class CollectionMismatchException extends GbScalingException {

    private static final long serialVersionUID = 1L;

    private final String collection;
    private final transient List<String> differences;

    /**
     * Creates the exception.
     *
     * @param collection  the collection
     * @param differences one line per difference, e.g. {@code shard count is 2, but qdrant-shard-count is 4}
     */
    public CollectionMismatchException(String collection, List<String> differences) {
        super("Qdrant collection " + collection + " does not match the settings: " + String.join("; ", differences)
                + ". These cannot change on an existing collection: change the settings back, or re-create"
                + " the collection and re-index it");
        this.collection = collection;
        this.differences = List.copyOf(differences);
    }

    /**
     * The collection.
     *
     * @return its name
     */
    public String collection() {
        return collection;
    }

    /**
     * What differs, one entry per setting.
     *
     * @return the differences
     */
    public List<String> differences() {
        return differences;
    }
}
