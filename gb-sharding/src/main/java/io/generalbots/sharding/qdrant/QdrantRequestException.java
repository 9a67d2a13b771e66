package io.generalbots.sharding.qdrant;

import io.generalbots.scaling.GbScalingException;
import io.grpc.Status;

/**
 * A Qdrant request that failed: the server answered with an error, did not answer within
 * {@code qdrant-timeout}, or could not be reached. The message names the server, the operation,
 * the collection and the gRPC status. {@link #code()} is gRPC's own type on purpose: gRPC is the
 * transport this package is built on (a host may hand in its own {@code ManagedChannel}), and
 * its status codes are what decides a retry.
 */
public final class QdrantRequestException extends GbScalingException {

    private static final long serialVersionUID = 1L;

    private final transient Status.Code code;

    /**
     * Creates the exception.
     *
     * @param message the whole message
     * @param code    the gRPC status code
     * @param cause   the underlying failure
     */
    public QdrantRequestException(String message, Status.Code code, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /**
     * The gRPC status code: {@code UNAVAILABLE} when the server cannot be reached,
     * {@code DEADLINE_EXCEEDED} after the timeout, else what the server answered.
     *
     * @return the code
     */
    public Status.Code code() {
        return code;
    }
}
