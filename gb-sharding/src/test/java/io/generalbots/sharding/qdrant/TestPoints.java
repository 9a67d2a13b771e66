package io.generalbots.sharding.qdrant;

import io.qdrant.client.grpc.Points.PointStruct;

/** Points for tests. */
final class TestPoints {

    private TestPoints() {
    }

    static PointStruct point(long id, String text, float... vector) {
        return QdrantShardKeysTest.point(id, text, vector);
    }
}
