package io.generalbots.sharding.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.generalbots.scaling.config.BotConfig;
import io.grpc.Status;
import io.qdrant.client.grpc.Collections.CollectionExistsRequest;
import io.qdrant.client.grpc.Collections.CollectionParams;
import io.qdrant.client.grpc.Collections.CollectionParamsDiff;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.GetCollectionInfoRequest;
import io.qdrant.client.grpc.Collections.ShardingMethod;
import io.qdrant.client.grpc.Collections.UpdateCollection;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorParamsMap;
import io.qdrant.client.grpc.Collections.VectorsConfig;

class QdrantCollectionsTest {

    private final FakeQdrant qdrant = FakeQdrant.start();
    private QdrantConnection connection;

    @AfterEach
    void stop() {
        if (connection != null) {
            connection.close();
        }
        qdrant.close();
    }

    private QdrantCollections collections(String config) {
        QdrantSettings settings = QdrantSettings.from(BotConfig.parse("config.csv", "qdrant-host,qdrant\n" + config));
        connection = qdrant.connect(settings);
        return new QdrantCollections(connection);
    }

    private static CollectionParams params(int shards, long size, Distance distance, int replication, int consistency,
                                           ShardingMethod method) {
        return CollectionParams.newBuilder().setShardNumber(shards)
                .setVectorsConfig(VectorsConfig.newBuilder().setParams(VectorParams.newBuilder().setSize(size)
                        .setDistance(distance)))
                .setReplicationFactor(replication).setWriteConsistencyFactor(consistency)
                .setShardingMethod(method).build();
    }

    @Test
    void createsTheSeedsCollectionWithExactlyTheConfiguredFields() {
        QdrantCollections c = collections("qdrant-shard-count,4\nqdrant-replication-factor,2\n"
                + "qdrant-write-consistency,majority\n");

        assertThat(c.ensureCollection("bot1")).isEqualTo(EnsureResult.CREATED);

        assertThat(qdrant.requestTypes()).containsExactly("CollectionExistsRequest", "CreateCollection");
        assertThat(qdrant.requests(CollectionExistsRequest.class).get(0).getCollectionName()).isEqualTo("kb_bot1");
        assertThat(qdrant.requests(CreateCollection.class).get(0)).isEqualTo(CreateCollection.newBuilder()
                .setCollectionName("kb_bot1")
                .setVectorsConfig(VectorsConfig.newBuilder().setParams(VectorParams.newBuilder()
                        .setSize(384).setDistance(Distance.Cosine)))
                .setShardNumber(4)
                .setReplicationFactor(2)
                .setWriteConsistencyFactor(2)
                .setShardingMethod(ShardingMethod.Auto)
                .build());
    }

    @Test
    void otherVectorsDistanceAndWriteConsistencyAreSentAsConfigured() {
        QdrantCollections c = collections("qdrant-shard-count,6\nqdrant-replication-factor,3\n"
                + "qdrant-write-consistency,all\nqdrant-vector-size,768\nqdrant-distance,dot\n"
                + "qdrant-sharding-method,custom\n");
        c.ensureCollection("sales-bot_2");
        CreateCollection sent = qdrant.requests(CreateCollection.class).get(0);
        assertThat(sent.getCollectionName()).isEqualTo("kb_sales-bot_2");
        assertThat(sent.getVectorsConfig().getParams().getSize()).isEqualTo(768);
        assertThat(sent.getVectorsConfig().getParams().getDistance()).isEqualTo(Distance.Dot);
        assertThat(sent.getShardNumber()).isEqualTo(6);
        assertThat(sent.getReplicationFactor()).isEqualTo(3);
        assertThat(sent.getWriteConsistencyFactor()).isEqualTo(3);
        assertThat(sent.getShardingMethod()).isEqualTo(ShardingMethod.Custom);
    }

    @Test
    void anExistingCollectionWithTheSameSettingsIsLeftAlone() {
        QdrantCollections c = collections("");
        c.ensureCollection("bot1");
        qdrant.requests.clear();

        assertThat(c.ensureCollection("bot1")).isEqualTo(EnsureResult.UNCHANGED);
        assertThat(c.ensureCollection("bot1")).isEqualTo(EnsureResult.UNCHANGED);

        assertThat(qdrant.requestTypes()).containsExactly("CollectionExistsRequest", "GetCollectionInfoRequest",
                "CollectionExistsRequest", "GetCollectionInfoRequest");
        assertThat(qdrant.requests(GetCollectionInfoRequest.class).get(0).getCollectionName()).isEqualTo("kb_bot1");
    }

    @Test
    void aDifferentReplicationOrWriteConsistencyIsUpdatedInPlace() {
        qdrant.putCollection("kb_bot1", params(4, 384, Distance.Cosine, 1, 1, ShardingMethod.Auto));
        QdrantCollections c = collections("qdrant-replication-factor,3\n");

        assertThat(c.ensureCollection("bot1")).isEqualTo(EnsureResult.UPDATED);

        assertThat(qdrant.requestTypes()).containsExactly("CollectionExistsRequest", "GetCollectionInfoRequest",
                "UpdateCollection");
        assertThat(qdrant.requests(UpdateCollection.class).get(0)).isEqualTo(UpdateCollection.newBuilder()
                .setCollectionName("kb_bot1")
                .setParams(CollectionParamsDiff.newBuilder().setReplicationFactor(3).setWriteConsistencyFactor(2))
                .build());
        assertThat(qdrant.collections.get("kb_bot1").getReplicationFactor()).isEqualTo(3);
        assertThat(c.ensureCollection("bot1")).isEqualTo(EnsureResult.UNCHANGED);
    }

    @Test
    void onlyTheFieldThatDiffersIsUpdated() {
        qdrant.putCollection("kb_bot1", params(4, 384, Distance.Cosine, 2, 1, ShardingMethod.Auto));
        QdrantCollections c = collections("");
        assertThat(c.ensureCollection("bot1")).isEqualTo(EnsureResult.UPDATED);
        UpdateCollection update = qdrant.requests(UpdateCollection.class).get(0);
        assertThat(update.getParams().hasReplicationFactor()).isFalse();
        assertThat(update.getParams().getWriteConsistencyFactor()).isEqualTo(2);
    }

    @Test
    void aDifferentShardCountOrVectorSizeIsAnErrorSayingWhatDiffers() {
        qdrant.putCollection("kb_bot1", params(2, 768, Distance.Euclid, 2, 2, ShardingMethod.Custom));
        QdrantCollections c = collections("");

        assertThatThrownBy(() -> c.ensureCollection("bot1"))
                .isInstanceOf(CollectionMismatchException.class)
                .hasMessage("Qdrant collection kb_bot1 does not match the settings: shard count is 2, but"
                        + " qdrant-shard-count is 4; vector size is 768, but qdrant-vector-size is 384; distance is"
                        + " euclid, but qdrant-distance is cosine; sharding method is custom, but"
                        + " qdrant-sharding-method is auto. These cannot change on an existing collection: change"
                        + " the settings back, or re-create the collection and re-index it");
        assertThat(qdrant.requests(UpdateCollection.class)).isEmpty();
        assertThat(qdrant.requests(CreateCollection.class)).isEmpty();
    }

    @Test
    void aMismatchIsReportedBeforeAnyLiveChangeIsMade() {
        qdrant.putCollection("kb_bot1", params(3, 384, Distance.Cosine, 1, 1, ShardingMethod.Auto));
        QdrantCollections c = collections("");
        assertThatThrownBy(() -> c.ensureCollection("bot1"))
                .isInstanceOf(CollectionMismatchException.class)
                .satisfies(e -> assertThat(((CollectionMismatchException) e).differences())
                        .containsExactly("shard count is 3, but qdrant-shard-count is 4"));
        assertThat(qdrant.requests(UpdateCollection.class)).isEmpty();
    }

    @Test
    void namedVectorsAreAMismatch() {
        qdrant.putCollection("kb_bot1", CollectionParams.newBuilder().setShardNumber(4)
                .setVectorsConfig(VectorsConfig.newBuilder().setParamsMap(VectorParamsMap.newBuilder()
                        .putMap("title", VectorParams.newBuilder().setSize(384).setDistance(Distance.Cosine).build())))
                .setReplicationFactor(2).setWriteConsistencyFactor(2).build());
        QdrantCollections c = collections("");
        assertThatThrownBy(() -> c.ensureCollection("bot1"))
                .hasMessageContaining("it has named vectors [title], but one unnamed vector of qdrant-vector-size 384"
                        + " is expected");
    }

    @Test
    void aCollectionCreatedMeanwhileByAnotherInstanceIsCheckedNotFailed() {
        qdrant.putCollection("kb_bot1", params(4, 384, Distance.Cosine, 2, 2, ShardingMethod.Auto));
        qdrant.hiddenFromExists.add("kb_bot1");
        QdrantCollections c = collections("");

        assertThat(c.ensureCollection("bot1")).isEqualTo(EnsureResult.UNCHANGED);
        assertThat(qdrant.requestTypes()).containsExactly("CollectionExistsRequest", "CreateCollection",
                "GetCollectionInfoRequest");
    }

    @Test
    void anInvalidBotIdIsRefusedBeforeAnythingIsSent() {
        QdrantCollections c = collections("");
        assertThatThrownBy(() -> c.ensureCollection("../etc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bot id must be 1 to 64 letters, digits, '_' or '-', starting with a letter or digit,"
                        + " but was \"../etc\"");
        assertThatThrownBy(() -> c.ensureCollection(""))
                .hasMessage("bot id must be 1 to 64 letters, digits, '_' or '-', starting with a letter or digit,"
                        + " but was \"\"");
        assertThatThrownBy(() -> c.ensureCollection("bot\n1"))
                .hasMessageEndingWith("but was \"bot\\u000a1\"");
        assertThatThrownBy(() -> c.ensureCollection("a".repeat(65))).hasMessageContaining("1 to 64");
        assertThat(qdrant.requests).isEmpty();
    }

    @Test
    void unavailableIsAnErrorNamingServerOperationAndCollection() {
        qdrant.failures.put("exists", Status.UNAVAILABLE.withDescription("node is restarting"));
        QdrantCollections c = collections("");
        assertThatThrownBy(() -> c.ensureCollection("bot1"))
                .isInstanceOf(QdrantRequestException.class)
                .hasMessageMatching("qdrant [^:]+: check collection kb_bot1 failed: UNAVAILABLE: node is restarting")
                .satisfies(e -> assertThat(((QdrantRequestException) e).code()).isEqualTo(Status.Code.UNAVAILABLE));
    }

    @Test
    void aFailedCreateIsReportedAndNotMistakenForSuccess() {
        qdrant.failures.put("create", Status.PERMISSION_DENIED.withDescription("read-only api key"));
        QdrantCollections c = collections("");
        assertThatThrownBy(() -> c.ensureCollection("bot1"))
                .hasMessageEndingWith(": create collection kb_bot1 failed: PERMISSION_DENIED: read-only api key");
        assertThat(qdrant.requests(GetCollectionInfoRequest.class)).isEmpty();
    }

    @Test
    void aResultOfFalseIsAFailureNotASuccess() {
        qdrant.answerFalse = true;
        QdrantCollections c = collections("");
        assertThatThrownBy(() -> c.ensureCollection("bot1"))
                .isInstanceOf(QdrantRequestException.class)
                .hasMessageEndingWith(": create collection kb_bot1 failed: Qdrant answered result=false");
        qdrant.putCollection("kb_bot1", params(4, 384, Distance.Cosine, 1, 1, ShardingMethod.Auto));
        assertThatThrownBy(() -> c.ensureCollection("bot1"))
                .hasMessageEndingWith(": update collection kb_bot1 failed: Qdrant answered result=false");
    }

    @Test
    void aServerThatDoesNotAnswerTimesOutAfterQdrantTimeout() {
        qdrant.hanging.add("get");
        qdrant.putCollection("kb_bot1", params(4, 384, Distance.Cosine, 2, 2, ShardingMethod.Auto));
        QdrantCollections c = collections("qdrant-timeout,150ms\n");
        assertThatThrownBy(() -> c.ensureCollection("bot1"))
                .isInstanceOf(QdrantRequestException.class)
                .hasMessageEndingWith(": read collection kb_bot1 timed out after 150 ms (qdrant-timeout)")
                .satisfies(e -> assertThat(((QdrantRequestException) e).code())
                        .isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    }

    @Test
    void anUnreachableRealServerIsUnavailable() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        QdrantSettings settings = QdrantSettings.from(BotConfig.of(Map.of("qdrant-host", "127.0.0.1",
                "qdrant-port", Integer.toString(port), "qdrant-timeout", "2")));
        try (QdrantConnection real = QdrantConnection.ofDedicated(settings)) {
            QdrantCollections c = new QdrantCollections(real);
            assertThatThrownBy(() -> c.ensureCollection("bot1"))
                    .isInstanceOf(QdrantRequestException.class)
                    .hasMessageStartingWith("qdrant 127.0.0.1:" + port + ": check collection kb_bot1 failed: UNAVAILABLE");
        }
    }

    @Test
    void settingsCanDifferFromTheConnections() {
        QdrantCollections base = collections("");
        QdrantCollections other = new QdrantCollections(connection,
                base.settings().withShardingMethod(QdrantSettings.ShardingMethod.CUSTOM)
                        .withTimeout(Duration.ofSeconds(1)));
        other.ensureCollection("bot2");
        assertThat(qdrant.requests(CreateCollection.class).get(0).getShardingMethod()).isEqualTo(ShardingMethod.Custom);
        assertThat(List.copyOf(qdrant.collections.keySet())).containsExactly("kb_bot2");
    }
}
