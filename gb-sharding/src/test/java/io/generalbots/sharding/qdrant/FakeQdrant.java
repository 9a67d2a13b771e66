package io.generalbots.sharding.qdrant;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import com.google.protobuf.Message;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Collections.CollectionParams;
import io.qdrant.client.grpc.CollectionsGrpc;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.PointsGrpc;
import io.qdrant.client.grpc.QdrantGrpc;
import io.qdrant.client.grpc.QdrantOuterClass;

/**
 * An in-process Qdrant built on the client jar's own generated service bases: it keeps collections,
 * shard keys and points in memory, computes cosine similarity for queries, and records every request.
 * Tests make it fail a method with a status, or hang (never answer) so the client's deadline fires.
 */
final class FakeQdrant implements AutoCloseable {

    /** Requests in arrival order. */
    final List<Message> requests = new CopyOnWriteArrayList<>();
    final Map<String, CollectionParams> collections = new ConcurrentHashMap<>();
    final Map<String, Set<String>> shardKeys = new ConcurrentHashMap<>();
    final Map<String, List<Stored>> points = new ConcurrentHashMap<>();
    /** Method name (create, get, update, exists, createShardKey, upsert, query, health) to the status it fails with. */
    final Map<String, Status> failures = new ConcurrentHashMap<>();
    /** Methods that never answer. */
    final Set<String> hanging = ConcurrentHashMap.newKeySet();
    /** Collections that exist but that collectionExists denies (another instance creating it meanwhile). */
    final Set<String> hiddenFromExists = ConcurrentHashMap.newKeySet();
    /** When set, create and update answer result=false without changing anything. */
    volatile boolean answerFalse;
    /** The status a duplicate shard key is refused with. */
    volatile Status duplicateShardKey = Status.ALREADY_EXISTS.withDescription("Shard key already exists");

    private final String name = "fake-qdrant-" + UUID.randomUUID();
    private final Server server;
    private final List<StreamObserver<?>> held = new CopyOnWriteArrayList<>();

    record Stored(String shardKey, Points.PointStruct point) {
    }

    private FakeQdrant() throws java.io.IOException {
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(new CollectionsService()).addService(new PointsService()).addService(new HealthService())
                .build().start();
    }

    static FakeQdrant start() {
        try {
            return new FakeQdrant();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    ManagedChannel channel() {
        return InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    QdrantConnection connect(QdrantSettings settings) {
        return QdrantConnection.of(channel(), settings);
    }

    <T extends Message> List<T> requests(Class<T> type) {
        return requests.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
    }

    List<String> requestTypes() {
        return requests.stream().map(m -> m.getDescriptorForType().getName()).collect(Collectors.toList());
    }

    void putCollection(String collection, CollectionParams params) {
        collections.put(collection, params);
    }

    @Override
    public void close() {
        for (StreamObserver<?> o : held) {
            try {
                o.onError(Status.CANCELLED.asRuntimeException());
            } catch (RuntimeException ignored) {
                // already cancelled by the client's deadline
            }
        }
        server.shutdownNow();
    }

    /** Records the request and answers with a failure or not at all if the test says so. */
    private boolean intercept(String method, Message request, StreamObserver<?> observer) {
        requests.add(request);
        if (hanging.contains(method)) {
            held.add(observer);
            return true;
        }
        Status failure = failures.get(method);
        if (failure != null) {
            observer.onError(failure.asRuntimeException());
            return true;
        }
        return false;
    }

    private static <T> void reply(StreamObserver<T> observer, T value) {
        observer.onNext(value);
        observer.onCompleted();
    }

    private final class CollectionsService extends CollectionsGrpc.CollectionsImplBase {
        @Override
        public void collectionExists(Collections.CollectionExistsRequest request,
                                     StreamObserver<Collections.CollectionExistsResponse> observer) {
            if (intercept("exists", request, observer)) {
                return;
            }
            boolean exists = collections.containsKey(request.getCollectionName())
                    && !hiddenFromExists.contains(request.getCollectionName());
            reply(observer, Collections.CollectionExistsResponse.newBuilder()
                    .setResult(Collections.CollectionExists.newBuilder().setExists(exists)).build());
        }

        @Override
        public void get(Collections.GetCollectionInfoRequest request,
                        StreamObserver<Collections.GetCollectionInfoResponse> observer) {
            if (intercept("get", request, observer)) {
                return;
            }
            CollectionParams params = collections.get(request.getCollectionName());
            if (params == null) {
                observer.onError(Status.NOT_FOUND.withDescription("Collection `" + request.getCollectionName()
                        + "` doesn't exist!").asRuntimeException());
                return;
            }
            reply(observer, Collections.GetCollectionInfoResponse.newBuilder().setResult(Collections.CollectionInfo
                    .newBuilder().setStatus(Collections.CollectionStatus.Green)
                    .setConfig(Collections.CollectionConfig.newBuilder().setParams(params))).build());
        }

        @Override
        public void create(Collections.CreateCollection request,
                           StreamObserver<Collections.CollectionOperationResponse> observer) {
            if (intercept("create", request, observer)) {
                return;
            }
            if (answerFalse) {
                reply(observer, Collections.CollectionOperationResponse.newBuilder().setResult(false).build());
                return;
            }
            CollectionParams.Builder params = CollectionParams.newBuilder()
                    .setShardNumber(request.hasShardNumber() ? request.getShardNumber() : 1)
                    .setVectorsConfig(request.getVectorsConfig())
                    .setReplicationFactor(request.hasReplicationFactor() ? request.getReplicationFactor() : 1)
                    .setWriteConsistencyFactor(request.hasWriteConsistencyFactor()
                            ? request.getWriteConsistencyFactor() : 1)
                    .setShardingMethod(request.getShardingMethod());
            if (collections.putIfAbsent(request.getCollectionName(), params.build()) != null) {
                observer.onError(Status.ALREADY_EXISTS.withDescription("Collection `" + request.getCollectionName()
                        + "` already exists!").asRuntimeException());
                return;
            }
            reply(observer, Collections.CollectionOperationResponse.newBuilder().setResult(true).build());
        }

        @Override
        public void update(Collections.UpdateCollection request,
                           StreamObserver<Collections.CollectionOperationResponse> observer) {
            if (intercept("update", request, observer)) {
                return;
            }
            if (answerFalse) {
                reply(observer, Collections.CollectionOperationResponse.newBuilder().setResult(false).build());
                return;
            }
            CollectionParams params = collections.get(request.getCollectionName());
            if (params == null) {
                observer.onError(Status.NOT_FOUND.asRuntimeException());
                return;
            }
            CollectionParams.Builder b = params.toBuilder();
            if (request.getParams().hasReplicationFactor()) {
                b.setReplicationFactor(request.getParams().getReplicationFactor());
            }
            if (request.getParams().hasWriteConsistencyFactor()) {
                b.setWriteConsistencyFactor(request.getParams().getWriteConsistencyFactor());
            }
            collections.put(request.getCollectionName(), b.build());
            reply(observer, Collections.CollectionOperationResponse.newBuilder().setResult(true).build());
        }

        @Override
        public void createShardKey(Collections.CreateShardKeyRequest request,
                                   StreamObserver<Collections.CreateShardKeyResponse> observer) {
            if (intercept("createShardKey", request, observer)) {
                return;
            }
            CollectionParams params = collections.get(request.getCollectionName());
            if (params == null) {
                observer.onError(Status.NOT_FOUND.asRuntimeException());
                return;
            }
            if (params.getShardingMethod() != Collections.ShardingMethod.Custom) {
                observer.onError(Status.INVALID_ARGUMENT.withDescription("not custom sharded").asRuntimeException());
                return;
            }
            String key = request.getRequest().getShardKey().getKeyword();
            if (!shardKeys.computeIfAbsent(request.getCollectionName(), k -> ConcurrentHashMap.newKeySet()).add(key)) {
                observer.onError(duplicateShardKey.asRuntimeException());
                return;
            }
            reply(observer, Collections.CreateShardKeyResponse.newBuilder().setResult(true).build());
        }
    }

    private final class PointsService extends PointsGrpc.PointsImplBase {
        @Override
        public void upsert(Points.UpsertPoints request, StreamObserver<Points.PointsOperationResponse> observer) {
            if (intercept("upsert", request, observer)) {
                return;
            }
            String error = checkShardKeys(request.getCollectionName(), request.hasShardKeySelector()
                    ? request.getShardKeySelector() : null, true);
            if (error != null) {
                observer.onError(Status.INVALID_ARGUMENT.withDescription(error).asRuntimeException());
                return;
            }
            String key = request.hasShardKeySelector()
                    ? request.getShardKeySelector().getShardKeys(0).getKeyword() : "";
            List<Stored> stored = points.computeIfAbsent(request.getCollectionName(),
                    k -> new CopyOnWriteArrayList<>());
            for (Points.PointStruct p : request.getPointsList()) {
                stored.add(new Stored(key, p));
            }
            reply(observer, Points.PointsOperationResponse.newBuilder().setResult(Points.UpdateResult.newBuilder()
                    .setOperationId(stored.size()).setStatus(Points.UpdateStatus.Completed)).build());
        }

        @Override
        public void query(Points.QueryPoints request, StreamObserver<Points.QueryResponse> observer) {
            if (intercept("query", request, observer)) {
                return;
            }
            String error = checkShardKeys(request.getCollectionName(), request.hasShardKeySelector()
                    ? request.getShardKeySelector() : null, false);
            if (error != null) {
                observer.onError(Status.INVALID_ARGUMENT.withDescription(error).asRuntimeException());
                return;
            }
            Set<String> keys = request.getShardKeySelector().getShardKeysList().stream()
                    .map(Collections.ShardKey::getKeyword).collect(Collectors.toSet());
            List<Float> query = request.getQuery().getNearest().getDense().getDataList();
            List<Points.ScoredPoint> scored = new ArrayList<>();
            for (Stored s : points.getOrDefault(request.getCollectionName(), List.of())) {
                if (!keys.isEmpty() && !keys.contains(s.shardKey())) {
                    continue;
                }
                scored.add(Points.ScoredPoint.newBuilder().setId(s.point().getId())
                        .putAllPayload(s.point().getPayloadMap())
                        .setScore((float) cosine(query, vector(s.point()))).build());
            }
            scored.sort(Comparator.comparingDouble(Points.ScoredPoint::getScore).reversed());
            reply(observer, Points.QueryResponse.newBuilder()
                    .addAllResult(scored.subList(0, (int) Math.min(scored.size(), request.getLimit()))).build());
        }
    }

    private String checkShardKeys(String collection, Points.ShardKeySelector selector, boolean write) {
        CollectionParams params = collections.get(collection);
        if (params == null) {
            return "Collection `" + collection + "` doesn't exist!";
        }
        boolean custom = params.getShardingMethod() == Collections.ShardingMethod.Custom;
        if (selector == null) {
            return custom && write ? "Shard key not specified" : null;
        }
        if (!custom) {
            return "Shard selector is only allowed for collections with custom sharding";
        }
        for (Collections.ShardKey key : selector.getShardKeysList()) {
            if (!shardKeys.getOrDefault(collection, Set.of()).contains(key.getKeyword())) {
                return "Shard key " + key.getKeyword() + " not found";
            }
        }
        return null;
    }

    @SuppressWarnings("deprecation")
    private static List<Float> vector(Points.PointStruct point) {
        Points.Vector v = point.getVectors().getVector();
        return v.hasDense() ? v.getDense().getDataList() : v.getDataList();
    }

    private static double cosine(List<Float> a, List<Float> b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            dot += a.get(i) * b.get(i);
            na += a.get(i) * a.get(i);
            nb += b.get(i) * b.get(i);
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    private final class HealthService extends QdrantGrpc.QdrantImplBase {
        @Override
        public void healthCheck(QdrantOuterClass.HealthCheckRequest request,
                                StreamObserver<QdrantOuterClass.HealthCheckReply> observer) {
            if (intercept("health", request, observer)) {
                return;
            }
            reply(observer, QdrantOuterClass.HealthCheckReply.newBuilder().setTitle("qdrant - fake")
                    .setVersion("1.17.0").build());
        }
    }
}
