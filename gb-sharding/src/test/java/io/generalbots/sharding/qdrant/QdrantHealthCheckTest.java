package io.generalbots.sharding.qdrant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.health.HealthCheckResult;
import io.grpc.Status;
import io.qdrant.client.grpc.QdrantOuterClass.HealthCheckRequest;

class QdrantHealthCheckTest {

    private final FakeQdrant qdrant = FakeQdrant.start();
    private QdrantConnection connection;

    @AfterEach
    void stop() {
        connection.close();
        qdrant.close();
    }

    private QdrantHealthCheck check(String config) {
        connection = qdrant.connect(QdrantSettings.from(BotConfig.parse("config.csv", "qdrant-host,qdrant\n" + config)));
        return new QdrantHealthCheck(connection);
    }

    @Test
    void upWithTheServersVersion() throws Exception {
        HealthCheckResult result = check("").check();
        assertThat(result.status()).isEqualTo(HealthCheckResult.Status.UP);
        assertThat(result.word()).isEqualTo("ok");
        assertThat(result.details()).containsEntry("version", "1.17.0");
        assertThat(qdrant.requests(HealthCheckRequest.class)).hasSize(1);
    }

    @Test
    void downWhenUnavailable() throws Exception {
        qdrant.failures.put("health", Status.UNAVAILABLE.withDescription("connection refused"));
        HealthCheckResult result = check("").check();
        assertThat(result.status()).isEqualTo(HealthCheckResult.Status.DOWN);
        assertThat(result.word()).isEqualTo("down");
        assertThat(result.details()).containsEntry("error", "UNAVAILABLE: connection refused");
    }

    @Test
    void timeoutWhenTheServerDoesNotAnswer() throws Exception {
        qdrant.hanging.add("health");
        HealthCheckResult result = check("qdrant-timeout,100ms\n").check();
        assertThat(result.status()).isEqualTo(HealthCheckResult.Status.DOWN);
        assertThat(result.word()).isEqualTo("timeout");
        assertThat((String) result.details().get("error")).startsWith("DEADLINE_EXCEEDED");
        assertThat(result.details()).containsKey("address").isNotEqualTo(Map.of());
    }
}
