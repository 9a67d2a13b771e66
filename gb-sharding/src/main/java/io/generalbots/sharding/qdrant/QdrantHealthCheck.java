package io.generalbots.sharding.qdrant;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.generalbots.scaling.health.HealthCheck;
import io.generalbots.scaling.health.HealthCheckResult;
import io.grpc.Status;
import io.qdrant.client.grpc.QdrantOuterClass.HealthCheckReply;
import io.qdrant.client.grpc.QdrantOuterClass.HealthCheckRequest;

/**
 * A {@link HealthCheck} of the Qdrant server, through its {@code healthCheck} RPC, bounded by
 * {@code qdrant-timeout}. Up ({@code ok}) with the server's version; down with the word
 * {@code timeout} when it does not answer in time, else {@code down}, with the gRPC status in the
 * details.
 */
public final class QdrantHealthCheck implements HealthCheck {

    private final QdrantConnection connection;

    /**
     * A check of the connection's server.
     *
     * @param connection the connection
     */
    public QdrantHealthCheck(QdrantConnection connection) {
        this.connection = Objects.requireNonNull(connection, "connection");
    }

    @Override
    public HealthCheckResult check() throws InterruptedException {
        long timeoutMillis = connection.settings().timeout().toMillis();
        // the generated stub, not QdrantClient.healthCheckAsync, which logs each failure as an ERROR
        var future = connection.client().grpcClient().qdrant()
                .withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS)
                .healthCheck(HealthCheckRequest.getDefaultInstance());
        try {
            HealthCheckReply reply = future.get(timeoutMillis * 2 + 1000, TimeUnit.MILLISECONDS);
            return HealthCheckResult.up(Map.of("address", connection.name(), "version", reply.getVersion()));
        } catch (ExecutionException e) {
            Status status = Status.fromThrowable(e.getCause());
            boolean timeout = status.getCode() == Status.Code.DEADLINE_EXCEEDED;
            return new HealthCheckResult(HealthCheckResult.Status.DOWN, timeout ? "timeout" : "down",
                    Map.of("address", connection.name(), "error", status.getCode()
                            + (status.getDescription() == null ? "" : ": " + status.getDescription())));
        } catch (TimeoutException e) {
            future.cancel(true);
            return new HealthCheckResult(HealthCheckResult.Status.DOWN, "timeout",
                    Map.of("address", connection.name(), "error", "no answer in " + timeoutMillis + " ms"));
        }
    }
}
