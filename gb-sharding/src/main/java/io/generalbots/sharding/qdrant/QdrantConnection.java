package io.generalbots.sharding.qdrant;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.grpc.ManagedChannel;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;

import io.generalbots.scaling.OptionalDependency;

/**
 * The Qdrant client of a process. A gRPC channel is meant to be shared: {@link #of(QdrantSettings)}
 * gives every caller of the same server (host, port, TLS, API key, timeout) a lease on ONE client,
 * which is closed when the last lease is closed. {@link #ofDedicated(QdrantSettings)} makes a private
 * client (e.g. for a command-line tool), {@link #of(ManagedChannel, QdrantSettings)} wraps a channel
 * the caller built (tests use an in-process channel).
 *
 * <p>Closing is idempotent and waits (up to 5 s, the client's own bound) for the channel to terminate.
 * The client is built without Qdrant's version-compatibility probe, which would block in the
 * constructor; {@link QdrantHealthCheck} asks the server instead.
 */
public final class QdrantConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QdrantConnection.class);
    /** The shared clients by server; guarded by {@link #SHARED_LOCK}. */
    private static final Map<Endpoint, Shared> SHARED = new HashMap<>();
    /**
     * Guards {@link #SHARED} and the leases: a ReentrantLock, not a monitor, so that a virtual thread
     * waiting while another builds the server's client does not pin its carrier.
     */
    private static final ReentrantLock SHARED_LOCK = new ReentrantLock();

    private final Shared shared;
    private final QdrantSettings settings;
    private final AtomicBoolean closed = new AtomicBoolean();

    private QdrantConnection(Shared shared, QdrantSettings settings) {
        this.shared = shared;
        this.settings = settings;
    }

    /**
     * A lease on the process-wide client for the settings' server; the client is created on the
     * first lease and closed with the last.
     *
     * @param settings settings with {@code qdrant-host}
     * @return the lease; close it when done
     * @throws IllegalArgumentException if no host is configured
     * @throws IllegalStateException    if the Qdrant client is not on the class path, naming the artifact
     */
    public static QdrantConnection of(QdrantSettings settings) {
        OptionalDependency.QDRANT.require("QdrantConnection (qdrant-host)");
        Endpoint endpoint = Endpoint.of(settings);
        SHARED_LOCK.lock();
        try {
            Shared s = SHARED.get(endpoint);
            if (s == null) {
                s = new Shared(endpoint, build(settings), true);
                SHARED.put(endpoint, s);
            }
            s.leases++;
            return new QdrantConnection(s, settings);
        } finally {
            SHARED_LOCK.unlock();
        }
    }

    /**
     * A client of its own, not shared with other callers.
     *
     * @param settings settings with {@code qdrant-host}
     * @return the connection; close it when done
     * @throws IllegalArgumentException if no host is configured
     * @throws IllegalStateException    if the Qdrant client is not on the class path, naming the artifact
     */
    public static QdrantConnection ofDedicated(QdrantSettings settings) {
        OptionalDependency.QDRANT.require("QdrantConnection (qdrant-host)");
        Endpoint endpoint = Endpoint.of(settings);
        Shared s = new Shared(endpoint, build(settings), false);
        s.leases = 1;
        return new QdrantConnection(s, settings);
    }

    /**
     * A client over a channel the caller built (e.g. in-process, or with custom TLS). The API key and
     * timeout of the settings apply; closing the connection shuts the channel down.
     *
     * @param channel  the channel
     * @param settings the settings (the host and port are only used in log lines)
     * @return the connection
     */
    public static QdrantConnection of(ManagedChannel channel, QdrantSettings settings) {
        Objects.requireNonNull(channel, "channel");
        OptionalDependency.QDRANT.require("QdrantConnection (qdrant-host)");
        QdrantGrpcClient.Builder builder = QdrantGrpcClient.newBuilder(channel, true, false);
        settings.apiKey().ifPresent(builder::withApiKey);
        builder.withTimeout(settings.timeout());
        Shared s = new Shared(new Endpoint(channel.authority(), 0, settings.tls(), settings.apiKey(),
                settings.timeout()), new QdrantClient(builder.build()), false);
        s.leases = 1;
        return new QdrantConnection(s, settings);
    }

    private static QdrantClient build(QdrantSettings settings) {
        String host = settings.host().orElseThrow(() -> new IllegalArgumentException(
                "qdrant-host must be set to connect to Qdrant, but was not set"));
        QdrantGrpcClient.Builder builder = QdrantGrpcClient.newBuilder(host, settings.port(), settings.tls(), false);
        settings.apiKey().ifPresent(builder::withApiKey);
        builder.withTimeout(settings.timeout());
        LOG.info("qdrant {}:{}: client created (tls={})", host, settings.port(), settings.tls());
        return new QdrantClient(builder.build());
    }

    /**
     * The client. Do not close it: close this connection.
     *
     * @return the client
     * @throws IllegalStateException if this connection is closed
     */
    public QdrantClient client() {
        if (closed.get()) {
            throw new IllegalStateException("qdrant " + name() + ": connection is closed");
        }
        return shared.client;
    }

    /**
     * The settings this connection was made with.
     *
     * @return the settings
     */
    public QdrantSettings settings() {
        return settings;
    }

    /**
     * The server, as {@code host:port}, for log lines and messages.
     *
     * @return the name
     */
    public String name() {
        return shared.endpoint.port == 0 ? shared.endpoint.host : shared.endpoint.host + ":" + shared.endpoint.port;
    }

    /**
     * Whether this connection (lease) is closed.
     *
     * @return true after {@link #close()}
     */
    public boolean isClosed() {
        return closed.get();
    }

    /** Releases this lease; the client is closed when no lease is left. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        boolean last;
        if (shared.registered) {
            SHARED_LOCK.lock();
            try {
                last = --shared.leases == 0;
                if (last) {
                    SHARED.remove(shared.endpoint);
                }
            } finally {
                SHARED_LOCK.unlock();
            }
        } else {
            last = true;
        }
        if (last) {
            shared.client.close();
            LOG.info("qdrant {}: client closed", name());
        }
    }

    @Override
    public String toString() {
        return "QdrantConnection[" + name() + (closed.get() ? ", closed" : "") + "]";
    }

    private static final class Shared {
        final Endpoint endpoint;
        final QdrantClient client;
        final boolean registered;
        int leases;

        Shared(Endpoint endpoint, QdrantClient client, boolean registered) {
            this.endpoint = endpoint;
            this.client = client;
            this.registered = registered;
        }
    }

    private record Endpoint(String host, int port, boolean tls, Optional<String> apiKey, Duration timeout) {
        static Endpoint of(QdrantSettings s) {
            return new Endpoint(s.host().orElseThrow(() -> new IllegalArgumentException(
                    "qdrant-host must be set to connect to Qdrant, but was not set")), s.port(), s.tls(), s.apiKey(),
                    s.timeout());
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }
}
