package io.generalbots.sharding.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.generalbots.scaling.config.BotConfig;
import io.grpc.Status;
import io.qdrant.client.PointIdFactory;
import io.qdrant.client.ShardKeyFactory;
import io.qdrant.client.ShardKeySelectorFactory;
import io.qdrant.client.ValueFactory;
import io.qdrant.client.VectorsFactory;
import io.qdrant.client.grpc.Collections.CreateShardKey;
import io.qdrant.client.grpc.Collections.CreateShardKeyRequest;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.UpsertPoints;

class QdrantShardKeysTest {

    private final FakeQdrant qdrant = FakeQdrant.start();
    private QdrantConnection connection;

    @AfterEach
    void stop() {
        if (connection != null) {
            connection.close();
        }
        qdrant.close();
    }

    private QdrantCollections collections(String method) {
        QdrantSettings settings = QdrantSettings.from(BotConfig.parse("config.csv", "qdrant-host,qdrant\n"
                + "qdrant-vector-size,3\nqdrant-shard-count,2\nqdrant-replication-factor,3\n"
                + "qdrant-sharding-method," + method + "\n"));
        connection = qdrant.connect(settings);
        QdrantCollections c = new QdrantCollections(connection);
        c.ensureCollection("bot1");
        qdrant.requests.clear();
        return c;
    }

    static PointStruct point(long id, String text, float... vector) {
        return PointStruct.newBuilder().setId(PointIdFactory.id(id)).setVectors(VectorsFactory.vectors(vector))
                .putAllPayload(Map.of("text", ValueFactory.value(text))).build();
    }

    @Test
    void theFirstUseOfAKeyCreatesItAndLaterUsesRememberIt() {
        QdrantCollections c = collections("custom");

        c.upsert("bot1", ShardScope.key("acme"), List.of(point(1, "acme doc", 1, 0, 0)));
        c.upsert("bot1", ShardScope.key("acme"), List.of(point(2, "acme doc 2", 0, 1, 0)));

        assertThat(qdrant.requestTypes()).containsExactly("CreateShardKeyRequest", "UpsertPoints", "UpsertPoints");
        assertThat(qdrant.requests(CreateShardKeyRequest.class).get(0)).isEqualTo(CreateShardKeyRequest.newBuilder()
                .setCollectionName("kb_bot1")
                .setRequest(CreateShardKey.newBuilder().setShardKey(ShardKeyFactory.shardKey("acme"))
                        .setShardsNumber(2).setReplicationFactor(3))
                .build());
        for (UpsertPoints upsert : qdrant.requests(UpsertPoints.class)) {
            assertThat(upsert.getCollectionName()).isEqualTo("kb_bot1");
            assertThat(upsert.getShardKeySelector()).isEqualTo(ShardKeySelectorFactory.shardKeySelector("acme"));
            assertThat(upsert.getWait()).isTrue();
        }
        assertThat(c.knownShardKeys("bot1")).containsExactly("acme");
        assertThat(qdrant.shardKeys.get("kb_bot1")).containsExactly("acme");
    }

    @Test
    void searchesCarryTheSelectorAndOnlySeeTheirTenantsPoints() {
        QdrantCollections c = collections("custom");
        c.upsert("bot1", ShardScope.key("acme"), List.of(point(1, "acme", 1, 0, 0)));
        c.upsert("bot1", ShardScope.key("globex"), List.of(point(2, "globex", 1, 0, 0), point(3, "g2", 0, 1, 0)));

        List<ScoredPoint> acme = c.search("bot1", ShardScope.key("acme"), new float[] {1, 0, 0}, 10);
        List<ScoredPoint> globex = c.search("bot1", ShardScope.key("globex"), new float[] {0, 1, 0}, 10);

        assertThat(acme).extracting(p -> p.getId().getNum()).containsExactly(1L);
        assertThat(globex).extracting(p -> p.getId().getNum()).containsExactly(3L, 2L);
        List<QueryPoints> queries = qdrant.requests(QueryPoints.class);
        assertThat(queries.get(0).getShardKeySelector()).isEqualTo(ShardKeySelectorFactory.shardKeySelector("acme"));
        assertThat(queries.get(1).getShardKeySelector())
                .isEqualTo(ShardKeySelectorFactory.shardKeySelector("globex"));
        assertThat(queries.get(0).getLimit()).isEqualTo(10);
        assertThat(queries.get(0).getQuery().getNearest().getDense().getDataList()).containsExactly(1f, 0f, 0f);
        assertThat(queries.get(0).getWithPayload().getEnable()).isTrue();
    }

    @Test
    void requestsWithoutAKeyAreRefusedUnlessEveryShardIsAskedFor() {
        QdrantCollections c = collections("custom");
        c.upsert("bot1", ShardScope.key("acme"), List.of(point(1, "acme", 1, 0, 0)));
        c.upsert("bot1", ShardScope.key("globex"), List.of(point(2, "globex", 1, 0, 0)));
        qdrant.requests.clear();

        assertThatThrownBy(() -> c.search("bot1", ShardScope.none(), new float[] {1, 0, 0}, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a search of kb_bot1 needs a shard key (qdrant-sharding-method is custom); to search"
                        + " every shard, ask for it with ShardScope.allShards()");
        assertThatThrownBy(() -> c.upsert("bot1", ShardScope.none(), List.of(point(3, "x", 1, 0, 0))))
                .hasMessage("a write to kb_bot1 needs a shard key (qdrant-sharding-method is custom): writes are never"
                        + " sent to every shard");
        assertThatThrownBy(() -> c.upsert("bot1", ShardScope.allShards(), List.of(point(3, "x", 1, 0, 0))))
                .hasMessageStartingWith("a write to kb_bot1 needs a shard key");
        assertThat(qdrant.requests).isEmpty();

        List<ScoredPoint> all = c.search("bot1", ShardScope.allShards(), new float[] {1, 0, 0}, 5);
        assertThat(all).extracting(p -> p.getId().getNum()).containsExactlyInAnyOrder(1L, 2L);
        assertThat(qdrant.requests(QueryPoints.class).get(0).hasShardKeySelector()).isFalse();
    }

    @Test
    void autoShardedCollectionsTakeNoKey() {
        QdrantCollections c = collections("auto");
        c.upsert("bot1", ShardScope.none(), List.of(point(1, "a", 1, 0, 0)));
        assertThat(qdrant.requests(UpsertPoints.class).get(0).hasShardKeySelector()).isFalse();
        assertThat(c.search("bot1", ShardScope.none(), new float[] {1, 0, 0}, 1)).hasSize(1);
        assertThatThrownBy(() -> c.search("bot1", ShardScope.key("acme"), new float[] {1, 0, 0}, 1))
                .hasMessage("shard key acme cannot be used with collection kb_bot1: qdrant-sharding-method is auto");
        assertThatThrownBy(() -> c.ensureShardKey("bot1", "acme"))
                .hasMessage("shard key acme cannot be used with collection kb_bot1: qdrant-sharding-method is auto");
        assertThat(qdrant.requests(CreateShardKeyRequest.class)).isEmpty();
    }

    @Test
    void aKeyCreatedByAnotherInstanceIsRememberedNotFailed() {
        QdrantCollections c = collections("custom");
        qdrant.shardKeys.computeIfAbsent("kb_bot1", k -> java.util.concurrent.ConcurrentHashMap.newKeySet())
                .addAll(List.of("acme", "globex"));

        assertThat(c.ensureShardKey("bot1", "acme")).isFalse();
        qdrant.duplicateShardKey = Status.INVALID_ARGUMENT.withDescription("Wrong input: Shard key globex already"
                + " exists");
        assertThat(c.ensureShardKey("bot1", "globex")).isFalse();
        c.upsert("bot1", ShardScope.key("acme"), List.of(point(1, "a", 1, 0, 0)));

        assertThat(c.knownShardKeys("bot1")).containsExactly("acme", "globex");
        assertThat(qdrant.requestTypes()).containsExactly("CreateShardKeyRequest", "CreateShardKeyRequest",
                "UpsertPoints");
    }

    @Test
    void aFailedCreationIsNotRememberedAndIsRetried() {
        QdrantCollections c = collections("custom");
        qdrant.failures.put("createShardKey", Status.UNAVAILABLE.withDescription("leader election"));

        assertThatThrownBy(() -> c.upsert("bot1", ShardScope.key("acme"), List.of(point(1, "a", 1, 0, 0))))
                .isInstanceOf(QdrantRequestException.class)
                .hasMessageEndingWith(": create shard key acme in kb_bot1 failed: UNAVAILABLE: leader election");
        assertThat(qdrant.requests(UpsertPoints.class)).isEmpty();
        assertThat(c.knownShardKeys("bot1")).isEmpty();

        qdrant.failures.clear();
        c.upsert("bot1", ShardScope.key("acme"), List.of(point(1, "a", 1, 0, 0)));
        assertThat(qdrant.requests(CreateShardKeyRequest.class)).hasSize(2);
        assertThat(c.knownShardKeys("bot1")).containsExactly("acme");
    }

    @Test
    void forgottenKeysAreCreatedAgain() {
        QdrantCollections c = collections("custom");
        assertThat(c.ensureShardKey("bot1", "eu")).isTrue();
        c.forgetShardKeys("bot1");
        assertThat(c.knownShardKeys("bot1")).isEmpty();
        assertThat(c.ensureShardKey("bot1", "eu")).isFalse(); // exists on the server: remembered again
        assertThat(qdrant.requests(CreateShardKeyRequest.class)).hasSize(2);
    }

    @Test
    void invalidShardKeysAndVectorsAreRefusedBeforeAnythingIsSent() {
        QdrantCollections c = collections("custom");
        assertThatThrownBy(() -> ShardScope.key("acme corp"))
                .hasMessage("shard key must be 1 to 64 letters, digits, '_' or '-', starting with a letter or digit,"
                        + " but was \"acme corp\"");
        assertThatThrownBy(() -> c.search("bot1", ShardScope.key("acme"), new float[] {1, 0}, 1))
                .hasMessage("query vector length must be qdrant-vector-size (3), but was 2");
        assertThatThrownBy(() -> c.search("bot1", ShardScope.key("acme"), new float[] {1, 0, 0}, 0))
                .hasMessage("limit must be from 1 to 1000, but was 0");
        assertThat(qdrant.requests).isEmpty();
    }

    @Test
    void concurrentFirstUsesCreateEachKeyExactlyOnce() throws Exception {
        QdrantCollections c = collections("custom");
        int threads = 16;
        List<String> keys = List.of("t0", "t1", "t2", "t3", "t4");
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger createdByCalls = new AtomicInteger();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 200; i++) {
                        if (c.ensureShardKey("bot1", keys.get((i + offset) % keys.size()))) {
                            createdByCalls.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Map<String, Long> perKey = qdrant.requests(CreateShardKeyRequest.class).stream()
                .collect(Collectors.groupingBy(r -> r.getRequest().getShardKey().getKeyword(), Collectors.counting()));
        assertThat(perKey).containsOnlyKeys(keys).allSatisfy((k, n) -> assertThat(n).isEqualTo(1L));
        assertThat(createdByCalls.get()).isEqualTo(keys.size());
        assertThat(c.knownShardKeys("bot1")).containsExactlyElementsOf(keys);
    }
}
