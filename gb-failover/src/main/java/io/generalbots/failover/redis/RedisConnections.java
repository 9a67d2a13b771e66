package io.generalbots.failover.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.generalbots.failover.fallback.CacheBackend;
import io.generalbots.failover.fallback.RedisCacheBackend;
import io.generalbots.failover.health.RedisHealthCheck;
import io.generalbots.scaling.OptionalDependency;
import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.HostAndPort;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.ReadFrom;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.EpollProvider;

/**
 * One Redis connection, as {@code cache-*} describes it (standalone, cluster or sentinel), with
 * failover-safe Lettuce defaults instead of Lettuce's own (Lettuce 6.8):
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>ours</th><th>Lettuce's</th><th>why</th></tr>
 *   <tr><td>{@code TimeoutOptions}</td><td>on, {@code cache-timeout} (2 s)</td><td>off (only the sync API
 *       times out, at 60 s)</td><td>an async or reactive command to a dead master would wait forever</td></tr>
 *   <tr><td>{@code requestQueueSize}</td><td>{@code cache-request-queue} (10,000)</td><td>unbounded</td>
 *       <td>during an outage commands pile up in memory without bound</td></tr>
 *   <tr><td>{@code disconnectedBehavior}</td><td>{@code REJECT_COMMANDS}</td><td>accept and queue</td>
 *       <td>fail fast while disconnected, so the breaker and the in-process cache take over at once</td></tr>
 *   <tr><td>connect timeout</td><td>{@code cache-timeout}</td><td>10 s</td><td>a reconnect to a dead host
 *       should not hold a thread for 10 s</td></tr>
 *   <tr><td>TCP keepalive</td><td>on, idle 15 s, interval 5 s, 3 probes</td><td>off</td><td>a peer that
 *       vanished (no RST) is noticed in ~30 s instead of hours; the extended options apply with NIO on
 *       Java 11+ (Linux, macOS) or with epoll</td></tr>
 *   <tr><td>TCP_USER_TIMEOUT</td><td>30 s</td><td>off</td><td>unacknowledged writes give up after 30 s
 *       instead of ~15 min of retransmissions; applied only with the native epoll or io_uring transport
 *       ({@code netty-transport-native-epoll} on the classpath); without it the option is left off, since
 *       Lettuce would only warn on every connect</td></tr>
 *   <tr><td>cluster topology refresh</td><td>periodic every {@code cache-topology-refresh} (30 s) and on
 *       all adaptive triggers (MOVED, ASK, reconnects), at most every 5 s</td><td>off</td><td>after a
 *       failover the client must learn the new master</td></tr>
 *   <tr><td>cluster reads</td><td>{@code REPLICA_PREFERRED} when {@code cache-replicas} &gt; 0</td>
 *       <td>master only</td><td>spread reads; replicas may lag by a little</td></tr>
 *   <tr><td>reconnect delay</td><td>exponential from 50 ms, at most 2 s</td><td>at most 30 s</td>
 *       <td>once the new master is up the connection finds it within 2 s</td></tr>
 *   <tr><td>sentinel</td><td>master looked up through the sentinels on every (re)connect</td><td>same</td>
 *       <td>so the same connection follows a failover</td></tr>
 * </table>
 *
 * <pre>{@code
 * try (RedisConnections redis = RedisConnections.of(CacheSettings.from(config))) {
 *     redis.sync().set("k", "v");
 * }
 * }</pre>
 * Needs Lettuce on the classpath. Its accessors return Lettuce's own types on purpose: handing a
 * well-configured Lettuce connection to the host is this class's point. Connection failures are
 * Lettuce's exceptions too.
 *
 * <p><b>Resources.</b> By default the connections have Lettuce {@link ClientResources} of their own
 * (Netty's event loops and Lettuce's computation threads, reconnect delay as above), shut down by
 * {@link #close()}. A host that already has resources (one set of event loops for all its Lettuce
 * clients) hands them in, and keeps them: {@link #close()} does not shut them down, and the
 * reconnect delay is theirs.
 * <pre>{@code
 * RedisConnections redis = RedisConnections.custom(CacheSettings.from(config)).clientResources(resources).build();
 * }</pre>
 */
public final class RedisConnections implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisConnections.class);
    /** Keepalive: idle time before the first probe. */
    static final Duration KEEPALIVE_IDLE = Duration.ofSeconds(15);
    /** Keepalive: time between probes. */
    static final Duration KEEPALIVE_INTERVAL = Duration.ofSeconds(5);
    /** Keepalive: unanswered probes before the connection is dropped. */
    static final int KEEPALIVE_COUNT = 3;
    /** TCP_USER_TIMEOUT. */
    static final Duration TCP_USER_TIMEOUT = Duration.ofSeconds(30);
    /** Least time between two adaptive cluster topology refreshes. */
    static final Duration ADAPTIVE_REFRESH_TIMEOUT = Duration.ofSeconds(5);

    /** Longest wait between two reconnect attempts. */
    static final Duration RECONNECT_DELAY_MAX = Duration.ofSeconds(2);

    private final CacheSettings settings;
    private final ClientResources resources;
    private final boolean ownResources;
    private final RedisClient client;
    private final RedisClusterClient clusterClient;
    private final StatefulRedisConnection<String, String> connection;
    private final StatefulRedisClusterConnection<String, String> clusterConnection;

    private RedisConnections(CacheSettings settings, ClientResources hostResources) {
        this.settings = Objects.requireNonNull(settings, "settings");
        io.generalbots.scaling.Checks.require(settings.mode() != CacheSettings.Mode.CLUSTER || !settings.nodes().isEmpty(),
                "cache-nodes", "at least one HOST:PORT in cluster mode", settings.nodes());
        io.generalbots.scaling.Checks.require(settings.mode() != CacheSettings.Mode.SENTINEL
                        || !settings.sentinelNodes().isEmpty(), "cache-sentinel-nodes",
                "at least one HOST:PORT in sentinel mode", settings.sentinelNodes());
        this.ownResources = hostResources == null;
        this.resources = ownResources ? ClientResources.builder().reconnectDelay(Delay.exponential(Duration.ofMillis(50),
                RECONNECT_DELAY_MAX, 2, java.util.concurrent.TimeUnit.MILLISECONDS)).build() : hostResources;
        if (!EpollProvider.isAvailable()) {
            LOG.debug("redis: native epoll transport not on the classpath; TCP_USER_TIMEOUT is not set");
        }
        if (settings.mode() == CacheSettings.Mode.CLUSTER) {
            List<RedisURI> seeds = new ArrayList<>();
            for (HostAndPort node : settings.nodes()) {
                seeds.add(uri(RedisURI.builder().withHost(node.host()).withPort(node.port())));
            }
            this.client = null;
            this.clusterClient = RedisClusterClient.create(resources, seeds);
            clusterClient.setOptions(clusterOptions(settings));
            this.connection = null;
            StatefulRedisClusterConnection<String, String> c;
            try {
                c = clusterClient.connect();
            } catch (RuntimeException e) {
                clusterClient.shutdown();
                shutdownOwnResources();
                throw e;
            }
            if (settings.replicas() > 0) {
                c.setReadFrom(ReadFrom.REPLICA_PREFERRED);
            }
            this.clusterConnection = c;
            LOG.info("redis: connected to cluster {} (replicas {}, reads {})", settings.nodes(), settings.replicas(),
                    settings.replicas() > 0 ? "replica-preferred" : "master");
        } else {
            RedisURI uri;
            if (settings.mode() == CacheSettings.Mode.SENTINEL) {
                HostAndPort first = settings.sentinelNodes().get(0);
                RedisURI.Builder b = RedisURI.Builder.sentinel(first.host(), first.port(), settings.sentinelMaster());
                for (HostAndPort s : settings.sentinelNodes().subList(1, settings.sentinelNodes().size())) {
                    b.withSentinel(s.host(), s.port());
                }
                uri = uri(b);
            } else {
                uri = uri(RedisURI.builder().withHost(settings.host().host()).withPort(settings.host().port()));
            }
            this.clusterClient = null;
            this.client = RedisClient.create(resources, uri);
            client.setOptions(clientOptions(settings));
            this.clusterConnection = null;
            try {
                this.connection = client.connect();
            } catch (RuntimeException e) {
                client.shutdown();
                shutdownOwnResources();
                throw e;
            }
            LOG.info("redis: connected ({} {})", settings.mode().name().toLowerCase(java.util.Locale.ROOT),
                    settings.mode() == CacheSettings.Mode.SENTINEL
                            ? settings.sentinelMaster() + " via " + settings.sentinelNodes() : settings.host());
        }
    }

    /**
     * Connects as the settings say.
     *
     * @param settings the {@code cache-*} settings
     * @return the connections
     * @throws io.lettuce.core.RedisException when Redis cannot be reached
     * @throws IllegalStateException when Lettuce is not on the class path, naming the artifact to add
     */
    public static RedisConnections of(CacheSettings settings) {
        return custom(settings).build();
    }

    /**
     * A builder for connections that take what the host already has (its Lettuce
     * {@link ClientResources}).
     *
     * @param settings the {@code cache-*} settings
     * @return the builder
     */
    public static Builder custom(CacheSettings settings) {
        return new Builder(Objects.requireNonNull(settings, "settings"));
    }

    /**
     * The client options of standalone and sentinel mode (see the class comment).
     *
     * @param settings the settings
     * @return the options
     */
    public static ClientOptions clientOptions(CacheSettings settings) {
        return ClientOptions.builder()
                .timeoutOptions(TimeoutOptions.enabled(settings.timeout()))
                .requestQueueSize(settings.requestQueue())
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .autoReconnect(true)
                .socketOptions(socketOptions(settings))
                .build();
    }

    /**
     * The client options of cluster mode: those of {@link #clientOptions} plus topology refresh.
     *
     * @param settings the settings
     * @return the options
     */
    public static ClusterClientOptions clusterOptions(CacheSettings settings) {
        return ClusterClientOptions.builder(clientOptions(settings))
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enableAllAdaptiveRefreshTriggers() // off by default before Lettuce 7
                        .enablePeriodicRefresh(settings.topologyRefresh())
                        .adaptiveRefreshTriggersTimeout(ADAPTIVE_REFRESH_TIMEOUT)
                        .build())
                .build();
    }

    private static SocketOptions socketOptions(CacheSettings settings) {
        return SocketOptions.builder()
                .connectTimeout(settings.timeout())
                .keepAlive(SocketOptions.KeepAliveOptions.builder().enable().idle(KEEPALIVE_IDLE)
                        .interval(KEEPALIVE_INTERVAL).count(KEEPALIVE_COUNT).build())
                .tcpUserTimeout(SocketOptions.TcpUserTimeoutOptions.builder().enable(EpollProvider.isAvailable())
                        .tcpUserTimeout(TCP_USER_TIMEOUT).build())
                .build();
    }

    private RedisURI uri(RedisURI.Builder b) {
        b.withTimeout(settings.timeout());
        settings.password().ifPresent(p -> b.withPassword(p.toCharArray()));
        return b.build();
    }

    /**
     * The settings connected with.
     *
     * @return the settings
     */
    public CacheSettings settings() {
        return settings;
    }

    /**
     * Synchronous commands on the connection, whatever the mode.
     *
     * @return the commands
     */
    public RedisClusterCommands<String, String> sync() {
        return LettuceCalls.sync(connection, clusterConnection);
    }

    /**
     * The standalone or sentinel connection.
     *
     * @return the connection
     * @throws IllegalStateException in cluster mode
     */
    public StatefulRedisConnection<String, String> connection() {
        if (connection == null) {
            throw new IllegalStateException("cache-mode is cluster: use clusterConnection()");
        }
        return connection;
    }

    /**
     * The cluster connection.
     *
     * @return the connection
     * @throws IllegalStateException unless in cluster mode
     */
    public StatefulRedisClusterConnection<String, String> clusterConnection() {
        if (clusterConnection == null) {
            throw new IllegalStateException("cache-mode is " + settings.mode().name().toLowerCase(java.util.Locale.ROOT)
                    + ": use connection()");
        }
        return clusterConnection;
    }

    /**
     * A {@code PING} health check on this connection.
     *
     * @return the check
     */
    public RedisHealthCheck healthCheck() {
        return connection != null ? RedisHealthCheck.of(connection) : RedisHealthCheck.of(clusterConnection);
    }

    /**
     * A cache backend on this connection, for {@link io.generalbots.failover.fallback.ResilientCache}.
     *
     * @return the backend
     */
    public CacheBackend cacheBackend() {
        return new RedisCacheBackend(sync());
    }

    /**
     * Closes the connection and shuts the client down, and the client resources if they are the
     * connections' own (not the host's, given to {@link Builder#clientResources}).
     */
    @Override
    public void close() {
        if (client != null) {
            connection.close();
            client.shutdown();
        }
        if (clusterClient != null) {
            clusterConnection.close();
            clusterClient.shutdown();
        }
        shutdownOwnResources();
    }

    private void shutdownOwnResources() {
        if (ownResources) {
            resources.shutdown();
        }
    }

    /** Builds {@link RedisConnections}; every setter checks its argument. */
    public static final class Builder {
        private final CacheSettings settings;
        private ClientResources clientResources;

        private Builder(CacheSettings settings) {
            this.settings = settings;
        }

        /**
         * The host's Lettuce resources (event loops, computation threads, reconnect delay) instead
         * of resources of the connections' own. {@link RedisConnections#close()} does not shut them
         * down: they are the host's.
         *
         * @param clientResources the resources
         * @return this
         */
        public Builder clientResources(ClientResources clientResources) {
            this.clientResources = Objects.requireNonNull(clientResources, "clientResources");
            return this;
        }

        /**
         * Connects as the settings say.
         *
         * @return the connections
         * @throws io.lettuce.core.RedisException when Redis cannot be reached
         * @throws IllegalStateException when Lettuce is not on the class path, naming the artifact to add
         */
        public RedisConnections build() {
            OptionalDependency.LETTUCE.require("RedisConnections");
            return new RedisConnections(settings, clientResources);
        }
    }
}
