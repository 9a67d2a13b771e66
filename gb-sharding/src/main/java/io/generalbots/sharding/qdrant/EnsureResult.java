package io.generalbots.sharding.qdrant;

/** What {@link QdrantCollections#ensureCollection(String)} did. */
public enum EnsureResult {
    /** The collection did not exist and was created with the settings. */
    CREATED,
    /** The collection existed with the settings; nothing was sent. */
    UNCHANGED,
    /** The collection existed; its replication factor or write consistency was updated to the settings. */
    UPDATED
}
