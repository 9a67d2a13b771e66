package io.generalbots.sharding.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.search.KnowledgeSearch;
import io.generalbots.scaling.search.SearchHit;
import io.generalbots.scaling.search.SearchRequest;
import io.grpc.Status;
import io.qdrant.client.PointIdFactory;
import io.qdrant.client.ValueFactory;
import io.qdrant.client.VectorsFactory;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.QueryPoints;

class QdrantKnowledgeSearchTest {

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
        connection = qdrant.connect(QdrantSettings.from(BotConfig.parse("config.csv", "qdrant-host,qdrant\n"
                + "qdrant-vector-size,2\nqdrant-sharding-method," + method + "\n")));
        QdrantCollections c = new QdrantCollections(connection);
        c.ensureCollection("faq");
        return c;
    }

    private static SearchRequest request(float[] vector, Optional<String> shardKey) {
        return new SearchRequest("faq", "opening hours", vector, 5, shardKey);
    }

    @Test
    void hitsCarryIdScoreTextAndPayload() {
        QdrantCollections c = collections("auto");
        java.util.UUID uuid = java.util.UUID.fromString("5c56c793-69f3-4fbf-87e6-c4bf54c28c26");
        c.upsert("faq", ShardScope.none(), List.of(
                PointStruct.newBuilder().setId(PointIdFactory.id(7)).setVectors(VectorsFactory.vectors(1, 0))
                        .putPayload("text", ValueFactory.value("We open at 9."))
                        .putPayload("source", ValueFactory.value("hours.pdf"))
                        .putPayload("page", ValueFactory.value(3))
                        .putPayload("tags", ValueFactory.list(List.of(ValueFactory.value("hours"),
                                ValueFactory.value(true))))
                        .putPayload("missing", ValueFactory.nullValue()).build(),
                PointStruct.newBuilder().setId(PointIdFactory.id(uuid)).setVectors(VectorsFactory.vectors(0, 1))
                        .putPayload("text", ValueFactory.value("Parking is free.")).build()));
        KnowledgeSearch search = new QdrantKnowledgeSearch(c);

        List<SearchHit> hits = search.search(request(new float[] {1, 0.1f}, Optional.empty()));

        assertThat(hits).extracting(SearchHit::id).containsExactly("7", uuid.toString());
        assertThat(hits.get(0).text()).isEqualTo("We open at 9.");
        assertThat(hits.get(0).payload()).isEqualTo(Map.of("source", "hours.pdf", "page", 3L,
                "tags", List.of("hours", true)));
        assertThat(hits.get(0).score()).isGreaterThan(hits.get(1).score());
        assertThat(hits.get(1).payload()).isEmpty();
        assertThat(qdrant.requests(QueryPoints.class).get(0).getLimit()).isEqualTo(5);
    }

    @Test
    void aRequestWithoutEmbeddingIsRefusedSoTheFallbackCanServeIt() {
        QdrantCollections c = collections("auto");
        qdrant.requests.clear();
        assertThatThrownBy(() -> new QdrantKnowledgeSearch(c).search(SearchRequest.ofText("faq", "hours", 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Qdrant search of bot faq needs the query's embedding, but the request has only text");
        assertThat(qdrant.requests).isEmpty();
    }

    @Test
    void theRequestsShardKeyRoutesTheSearch() {
        QdrantCollections c = collections("custom");
        c.upsert("faq", ShardScope.key("eu"), List.of(TestPoints.point(1, "eu", 1, 0)));
        c.upsert("faq", ShardScope.key("us"), List.of(TestPoints.point(2, "us", 1, 0)));

        List<SearchHit> eu = new QdrantKnowledgeSearch(c).search(request(new float[] {1, 0}, Optional.of("eu")));
        assertThat(eu).extracting(SearchHit::text).containsExactly("eu");

        assertThatThrownBy(() -> new QdrantKnowledgeSearch(c).search(request(new float[] {1, 0}, Optional.empty())))
                .hasMessageStartingWith("a search of kb_faq needs a shard key");
        List<SearchHit> all = new QdrantKnowledgeSearch(c, true).search(request(new float[] {1, 0}, Optional.empty()));
        assertThat(all).extracting(SearchHit::text).containsExactlyInAnyOrder("eu", "us");
    }

    @Test
    void aFailingServerThrowsForTheFallbackChain() {
        QdrantCollections c = collections("auto");
        qdrant.failures.put("query", Status.UNAVAILABLE);
        assertThatThrownBy(() -> new QdrantKnowledgeSearch(c).search(request(new float[] {1, 0}, Optional.empty())))
                .isInstanceOf(QdrantRequestException.class)
                .hasMessageEndingWith(": search kb_faq failed: UNAVAILABLE");
    }
}
