/**
 * Qdrant collection sharding: the {@code qdrant-*} settings ({@link io.generalbots.sharding.qdrant.QdrantSettings}),
 * one client per process ({@link io.generalbots.sharding.qdrant.QdrantConnection}), a bot's
 * {@code kb_BOTID} collection ensured idempotently and custom shard keys created lazily
 * ({@link io.generalbots.sharding.qdrant.QdrantCollections}), a
 * {@link io.generalbots.scaling.search.KnowledgeSearch} on Qdrant
 * ({@link io.generalbots.sharding.qdrant.QdrantKnowledgeSearch}) and a health check
 * ({@link io.generalbots.sharding.qdrant.QdrantHealthCheck}).
 *
 * <p>The Qdrant Java client is an optional dependency: {@link io.generalbots.sharding.qdrant.QdrantConfigKeys},
 * {@link io.generalbots.sharding.qdrant.QdrantSettings}, {@link io.generalbots.sharding.qdrant.WriteConsistency}
 * and {@link io.generalbots.sharding.qdrant.ShardScope} never touch it, so config validation works without
 * it; the other classes need {@code io.qdrant:client} on the class path.
 */
package io.generalbots.sharding.qdrant;
