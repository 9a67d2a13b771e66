package io.generalbots.sharding.qdrant;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.generalbots.sharding.qdrant.QdrantSettings.ShardingMethod;
import io.grpc.Status;
import io.qdrant.client.QueryFactory;
import io.qdrant.client.ShardKeyFactory;
import io.qdrant.client.ShardKeySelectorFactory;
import io.qdrant.client.WithPayloadSelectorFactory;
import io.qdrant.client.grpc.Collections.CollectionExistsRequest;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CollectionParams;
import io.qdrant.client.grpc.Collections.CollectionParamsDiff;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.CreateShardKey;
import io.qdrant.client.grpc.Collections.CreateShardKeyRequest;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.GetCollectionInfoRequest;
import io.qdrant.client.grpc.Collections.UpdateCollection;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.CollectionsGrpc;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.PointsGrpc;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.ShardKeySelector;
import io.qdrant.client.grpc.Points.UpsertPoints;

/**
 * The bots' knowledge-base collections on Qdrant, sharded as {@code config.csv} says.
 *
 * <ul>
 *   <li>{@link #ensureCollection(String)} makes {@code kb_BOTID} exist with the configured vector size,
 *   distance, shard count, replication factor, write consistency factor and sharding method. It is
 *   idempotent: a matching collection is left alone; a different replication factor or write
 *   consistency is updated in place; a different shard count, vector size, distance or sharding
 *   method is a {@link CollectionMismatchException} saying what differs.</li>
 *   <li>With {@code qdrant-sharding-method,custom}, {@link #upsert} and {@link #search} take a
 *   {@link ShardScope}: the shard key (tenant or region) is created on its first use and remembered,
 *   and the request carries its {@code ShardKeySelector}. A request without a key is refused, never
 *   silently sent to every shard; a search may ask for every shard with {@link ShardScope#allShards()}.</li>
 * </ul>
 *
 * <p>Every call blocks for at most about {@code qdrant-timeout} (the gRPC deadline) and throws
 * {@link QdrantRequestException} when Qdrant fails. Thread-safe.
 */
public final class QdrantCollections {

    private static final Logger LOG = LoggerFactory.getLogger(QdrantCollections.class);

    private final QdrantConnection connection;
    private final QdrantSettings settings;
    private final Set<String> knownShardKeys = ConcurrentHashMap.newKeySet();
    /**
     * One lock per shard key being created (a ReentrantLock, not a monitor: a virtual thread waiting
     * on the gRPC call of another does not pin its carrier); removed once the key is known.
     */
    private final Map<String, ReentrantLock> shardKeyLocks = new ConcurrentHashMap<>();

    /**
     * Collections managed with the connection's settings.
     *
     * @param connection the Qdrant connection
     */
    public QdrantCollections(QdrantConnection connection) {
        this(connection, connection.settings());
    }

    /**
     * Collections managed with other settings than the connection's (e.g. one bot's config.csv).
     *
     * @param connection the Qdrant connection
     * @param settings   the collection settings (shards, replication, vectors, sharding method)
     */
    public QdrantCollections(QdrantConnection connection, QdrantSettings settings) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * The settings collections are made with.
     *
     * @return the settings
     */
    public QdrantSettings settings() {
        return settings;
    }

    /**
     * Makes the bot's collection {@code kb_BOTID} exist as configured.
     *
     * @param botId the bot id (letters, digits, {@code _}, {@code -})
     * @return what was done
     * @throws IllegalArgumentException    if the bot id is not valid (nothing is sent)
     * @throws CollectionMismatchException if the collection exists with settings that cannot change
     * @throws QdrantRequestException      if Qdrant fails or does not answer in time
     */
    public EnsureResult ensureCollection(String botId) {
        String name = CollectionNames.forBot(botId);
        boolean exists = await("check collection", name, collectionsStub().collectionExists(
                CollectionExistsRequest.newBuilder().setCollectionName(name).build())).getResult().getExists();
        if (!exists) {
            try {
                requireResult("create collection", name,
                        await("create collection", name, collectionsStub().create(createRequest(name))).getResult());
                LOG.info("qdrant {}: created collection {} ({})", connection.name(), name, describe());
                return EnsureResult.CREATED;
            } catch (QdrantRequestException e) {
                if (e.code() != Status.Code.ALREADY_EXISTS) {
                    throw e;
                }
                LOG.info("qdrant {}: collection {} was created meanwhile by another instance; checking it",
                        connection.name(), name);
            }
        }
        CollectionInfo info = await("read collection", name, collectionsStub().get(
                GetCollectionInfoRequest.newBuilder().setCollectionName(name).build())).getResult();
        return reconcile(name, info.getConfig().getParams());
    }

    private EnsureResult reconcile(String name, CollectionParams params) {
        List<String> fatal = new ArrayList<>();
        if (params.getShardNumber() != settings.shardCount()) {
            fatal.add("shard count is " + params.getShardNumber() + ", but qdrant-shard-count is " + settings.shardCount());
        }
        if (!params.getVectorsConfig().hasParams()) {
            fatal.add("it has named vectors " + new TreeSet<>(params.getVectorsConfig().getParamsMap().getMapMap().keySet())
                    + ", but one unnamed vector of qdrant-vector-size " + settings.vectorSize() + " is expected");
        } else {
            VectorParams vectors = params.getVectorsConfig().getParams();
            if (vectors.getSize() != settings.vectorSize()) {
                fatal.add("vector size is " + vectors.getSize() + ", but qdrant-vector-size is " + settings.vectorSize());
            }
            if (vectors.getDistance() != distance()) {
                fatal.add("distance is " + vectors.getDistance().name().toLowerCase(Locale.ROOT)
                        + ", but qdrant-distance is " + lower(settings.distance()));
            }
        }
        ShardingMethod method = params.hasShardingMethod()
                && params.getShardingMethod() == io.qdrant.client.grpc.Collections.ShardingMethod.Custom
                ? ShardingMethod.CUSTOM : ShardingMethod.AUTO;
        if (method != settings.shardingMethod()) {
            fatal.add("sharding method is " + lower(method) + ", but qdrant-sharding-method is "
                    + lower(settings.shardingMethod()));
        }
        if (!fatal.isEmpty()) {
            throw new CollectionMismatchException(name, fatal);
        }
        int replication = params.hasReplicationFactor() ? params.getReplicationFactor() : 1;
        int consistency = params.hasWriteConsistencyFactor() ? params.getWriteConsistencyFactor() : 1;
        CollectionParamsDiff.Builder diff = CollectionParamsDiff.newBuilder();
        List<String> changes = new ArrayList<>();
        if (replication != settings.replicationFactor()) {
            diff.setReplicationFactor(settings.replicationFactor());
            changes.add("replication factor " + replication + " -> " + settings.replicationFactor());
        }
        if (consistency != settings.writeConsistencyFactor()) {
            diff.setWriteConsistencyFactor(settings.writeConsistencyFactor());
            changes.add("write consistency factor " + consistency + " -> " + settings.writeConsistencyFactor());
        }
        if (changes.isEmpty()) {
            LOG.debug("qdrant {}: collection {} matches the settings", connection.name(), name);
            return EnsureResult.UNCHANGED;
        }
        UpdateCollection update = UpdateCollection.newBuilder().setCollectionName(name).setParams(diff).build();
        requireResult("update collection", name,
                await("update collection", name, collectionsStub().update(update)).getResult());
        LOG.info("qdrant {}: updated collection {}: {}", connection.name(), name, String.join(", ", changes));
        return EnsureResult.UPDATED;
    }

    /**
     * The exact request {@link #ensureCollection(String)} sends to create a collection.
     *
     * @param name the collection
     * @return the request
     */
    CreateCollection createRequest(String name) {
        return CreateCollection.newBuilder()
                .setCollectionName(name)
                .setVectorsConfig(VectorsConfig.newBuilder().setParams(VectorParams.newBuilder()
                        .setSize(settings.vectorSize()).setDistance(distance())))
                .setShardNumber(settings.shardCount())
                .setReplicationFactor(settings.replicationFactor())
                .setWriteConsistencyFactor(settings.writeConsistencyFactor())
                .setShardingMethod(settings.shardingMethod() == ShardingMethod.CUSTOM
                        ? io.qdrant.client.grpc.Collections.ShardingMethod.Custom
                        : io.qdrant.client.grpc.Collections.ShardingMethod.Auto)
                .build();
    }

    /**
     * Makes a shard key exist in a custom-sharded collection, once: the first call creates it (with
     * {@code qdrant-shard-count} shards and {@code qdrant-replication-factor} replicas), later calls
     * remember it and send nothing. A key that already exists on the server counts as created.
     *
     * @param botId    the bot
     * @param shardKey the tenant or region
     * @return true if this call created it
     * @throws IllegalArgumentException if the ids are invalid or the collection is not custom-sharded
     * @throws QdrantRequestException   if Qdrant fails (the key is not remembered; the next call retries)
     */
    public boolean ensureShardKey(String botId, String shardKey) {
        String name = CollectionNames.forBot(botId);
        CollectionNames.requireShardKey(shardKey);
        if (settings.shardingMethod() != ShardingMethod.CUSTOM) {
            throw new IllegalArgumentException("shard key " + shardKey + " cannot be used with collection " + name
                    + ": qdrant-sharding-method is auto");
        }
        String id = name + '\u0000' + shardKey;
        if (knownShardKeys.contains(id)) {
            return false;
        }
        ReentrantLock lock = shardKeyLocks.computeIfAbsent(id, k -> new ReentrantLock());
        lock.lock();
        try {
            if (knownShardKeys.contains(id)) {
                return false;
            }
            CreateShardKeyRequest request = CreateShardKeyRequest.newBuilder()
                    .setCollectionName(name)
                    .setRequest(CreateShardKey.newBuilder()
                            .setShardKey(ShardKeyFactory.shardKey(shardKey))
                            .setShardsNumber(settings.shardCount())
                            .setReplicationFactor(settings.replicationFactor()))
                    .build();
            boolean created;
            try {
                await("create shard key " + shardKey + " in", name,
                        collectionsStub().createShardKey(request));
                created = true;
                LOG.info("qdrant {}: created shard key {} in {}", connection.name(), shardKey, name);
            } catch (QdrantRequestException e) {
                if (!alreadyExists(e)) {
                    throw e;
                }
                created = false;
                LOG.debug("qdrant {}: shard key {} already exists in {}", connection.name(), shardKey, name);
            }
            knownShardKeys.add(id);
            // later calls see the key as known before they look for a lock
            shardKeyLocks.remove(id, lock);
            return created;
        } finally {
            lock.unlock();
        }
    }

    private static boolean alreadyExists(QdrantRequestException e) {
        // Qdrant answers ALREADY_EXISTS, or (some versions) INVALID_ARGUMENT "... already exists"
        return e.code() == Status.Code.ALREADY_EXISTS || (e.code() == Status.Code.INVALID_ARGUMENT
                && e.getMessage().toLowerCase(Locale.ROOT).contains("already exists"));
    }

    /**
     * The shard keys this instance has created or seen for a bot's collection.
     *
     * @param botId the bot
     * @return the keys, sorted
     */
    public Set<String> knownShardKeys(String botId) {
        String prefix = CollectionNames.forBot(botId) + '\u0000';
        Set<String> keys = new TreeSet<>();
        for (String id : knownShardKeys) {
            if (id.startsWith(prefix)) {
                keys.add(id.substring(prefix.length()));
            }
        }
        return keys;
    }

    /**
     * Forgets the remembered shard keys of a bot (e.g. after its collection was re-created), so that
     * the next use creates them again.
     *
     * @param botId the bot
     */
    public void forgetShardKeys(String botId) {
        String prefix = CollectionNames.forBot(botId) + '\u0000';
        knownShardKeys.removeIf(id -> id.startsWith(prefix));
    }

    /**
     * Writes points to a bot's collection and waits until they are applied.
     *
     * @param botId  the bot
     * @param scope  the shard key with custom sharding, {@link ShardScope#none()} with auto sharding
     * @param points the points
     * @throws IllegalArgumentException if the scope does not fit the sharding method (nothing is sent)
     * @throws QdrantRequestException   if Qdrant fails
     */
    public void upsert(String botId, ShardScope scope, List<PointStruct> points) {
        String name = CollectionNames.forBot(botId);
        Objects.requireNonNull(points, "points");
        UpsertPoints.Builder request = UpsertPoints.newBuilder().setCollectionName(name).setWait(true)
                .addAllPoints(points);
        route(botId, name, scope, true).ifPresent(request::setShardKeySelector);
        await("upsert " + points.size() + " points into", name,
                pointsStub().upsert(request.build()));
    }

    /**
     * Finds the points nearest to a vector, with their payloads.
     *
     * @param botId  the bot
     * @param scope  the shard key, or {@link ShardScope#allShards()} to search every shard of a
     *               custom-sharded collection, or {@link ShardScope#none()} with auto sharding
     * @param vector the query vector, {@code qdrant-vector-size} long
     * @param limit  the most points, 1..1000
     * @return the points, best first
     * @throws IllegalArgumentException if the scope, vector or limit is wrong (nothing is sent)
     * @throws QdrantRequestException   if Qdrant fails
     */
    public List<ScoredPoint> search(String botId, ShardScope scope, float[] vector, int limit) {
        String name = CollectionNames.forBot(botId);
        Objects.requireNonNull(vector, "vector");
        io.generalbots.scaling.Checks.require(vector.length == settings.vectorSize(), "query vector length",
                "qdrant-vector-size (" + settings.vectorSize() + ")", vector.length);
        io.generalbots.scaling.Checks.requireRange("limit", limit, 1, 1000);
        QueryPoints.Builder request = QueryPoints.newBuilder().setCollectionName(name)
                .setQuery(QueryFactory.nearest(vector)).setLimit(limit)
                .setWithPayload(WithPayloadSelectorFactory.enable(true));
        route(botId, name, scope, false).ifPresent(request::setShardKeySelector);
        return await("search", name, pointsStub().query(request.build())).getResultList();
    }

    private Optional<ShardKeySelector> route(String botId, String name, ShardScope scope, boolean write) {
        Objects.requireNonNull(scope, "scope");
        if (settings.shardingMethod() == ShardingMethod.AUTO) {
            if (scope.shardKey().isPresent()) {
                throw new IllegalArgumentException("shard key " + scope.shardKey().get() + " cannot be used with "
                        + "collection " + name + ": qdrant-sharding-method is auto");
            }
            return Optional.empty();
        }
        if (scope.shardKey().isPresent()) {
            String key = scope.shardKey().get();
            ensureShardKey(botId, key);
            return Optional.of(ShardKeySelectorFactory.shardKeySelector(key));
        }
        if (scope.isAllShards() && !write) {
            LOG.debug("qdrant {}: searching every shard of {}, as asked", connection.name(), name);
            return Optional.empty();
        }
        throw new IllegalArgumentException(write
                ? "a write to " + name + " needs a shard key (qdrant-sharding-method is custom): writes are never "
                        + "sent to every shard"
                : "a search of " + name + " needs a shard key (qdrant-sharding-method is custom); to search every "
                        + "shard, ask for it with ShardScope.allShards()");
    }

    private void requireResult(String operation, String collection, boolean result) {
        if (!result) {
            throw new QdrantRequestException("qdrant " + connection.name() + ": " + operation + " " + collection
                    + " failed: Qdrant answered result=false", Status.Code.UNKNOWN, null);
        }
    }

    // The generated stubs of the client's channel (with its API key), not QdrantClient's wrappers: those
    // log every failure as an ERROR with a stack trace, also the ones handled here (ALREADY_EXISTS) and
    // the ones that are reported once, with context, in QdrantRequestException.
    private PointsGrpc.PointsFutureStub pointsStub() {
        return connection.client().grpcClient().points()
                .withDeadlineAfter(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private CollectionsGrpc.CollectionsFutureStub collectionsStub() {
        return connection.client().grpcClient().collections()
                .withDeadlineAfter(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private <T> T await(String operation, String collection, Future<T> future) {
        Duration timeout = settings.timeout();
        String what = "qdrant " + connection.name() + ": " + operation + " " + collection;
        try {
            // the gRPC deadline ends the call; this bound only guards against a lost callback
            return future.get(timeout.toMillis() * 2 + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Status status = Status.fromThrowable(e.getCause());
            if (status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
                throw new QdrantRequestException(what + " timed out after " + timeout.toMillis()
                        + " ms (qdrant-timeout)", status.getCode(), e.getCause());
            }
            throw new QdrantRequestException(what + " failed: " + status.getCode()
                    + (status.getDescription() == null ? "" : ": " + status.getDescription()),
                    status.getCode(), e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new QdrantRequestException(what + " timed out after " + timeout.toMillis() + " ms (qdrant-timeout)",
                    Status.Code.DEADLINE_EXCEEDED, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new QdrantRequestException(what + " was interrupted", Status.Code.CANCELLED, e);
        }
    }

    private Distance distance() {
        switch (settings.distance()) {
            case DOT:
                return Distance.Dot;
            case EUCLID:
                return Distance.Euclid;
            case MANHATTAN:
                return Distance.Manhattan;
            default:
                return Distance.Cosine;
        }
    }

    private String describe() {
        return settings.vectorSize() + " dims, " + lower(settings.distance()) + ", " + settings.shardCount()
                + " shards, replication " + settings.replicationFactor() + ", write consistency "
                + settings.writeConsistencyFactor() + ", " + lower(settings.shardingMethod()) + " sharding";
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
