package io.generalbots.autoscale;

import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

import io.generalbots.scaling.Checks;
import io.generalbots.scaling.Ticker;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on a Redis lease: the key {@code {KEY}:lease} holds {@code NODE TOKEN} with a
 * time to live of {@code scale-leader-lease-seconds}; it is taken only when absent (the
 * {@code SET NX PX} rule, done in one script together with the fencing counter
 * {@code {KEY}:fence}, an {@code INCR} per term) and renewed on every check by its holder only.
 *
 * <p>Safety against two leaders: the holder considers itself leader only until 80 % of the lease
 * has passed since the renewal request was <em>sent</em> (its own {@link Ticker}), so it stops
 * acting before Redis can hand the lease to anyone else, clock drift within 20 % allowed. A failed
 * renewal ends the term at once. The connection does not reconnect by itself: a cut connection
 * ends the term, and the next check connects afresh. Lettuce is needed only when this class is used.
 */
public final class RedisLeaderElection implements LeaderElection {

    private static final Logger LOG = LoggerFactory.getLogger(RedisLeaderElection.class);

    private static final String ACQUIRE = String.join("\n",
            "local v = redis.call('GET', KEYS[1])",
            "if v then",
            "  local sep = string.find(v, ' ', 1, true)",
            "  if sep and string.sub(v, 1, sep - 1) == ARGV[1] then",
            "    redis.call('PEXPIRE', KEYS[1], ARGV[2])",
            "    return tonumber(string.sub(v, sep + 1))",
            "  end",
            "  return 0",
            "end",
            "local t = redis.call('INCR', KEYS[2])",
            "redis.call('SET', KEYS[1], ARGV[1] .. ' ' .. t, 'NX', 'PX', ARGV[2])",
            "return t");
    private static final String RELEASE = String.join("\n",
            "local v = redis.call('GET', KEYS[1])",
            "if v and string.sub(v, 1, string.len(ARGV[1]) + 1) == ARGV[1] .. ' ' then",
            "  return redis.call('DEL', KEYS[1])",
            "end",
            "return 0");

    private final RedisURI uri;
    private final String leaseKey;
    private final String fenceKey;
    private final String holder;
    private final String nodeId;
    private final Duration lease;
    private final Ticker ticker;
    /** The host's Lettuce resources, or null: each client makes (and shuts down) its own. */
    private final ClientResources resources;
    /** Held over the Redis calls: a lock, not the monitor, since they do network I/O. */
    private final ReentrantLock lock = new ReentrantLock();
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private long token;
    private long validUntil;

    private RedisLeaderElection(RedisURI uri, String key, String nodeId, Duration lease, Ticker ticker,
                                ClientResources resources) {
        this.resources = resources;
        this.uri = uri;
        this.leaseKey = "{" + key + "}:lease";
        this.fenceKey = "{" + key + "}:fence";
        this.nodeId = nodeId;
        this.holder = nodeId.replaceAll("\\s", "_") + "/" + UUID.randomUUID();
        this.lease = Checks.requirePositive("lease", lease);
        this.ticker = Objects.requireNonNull(ticker, "ticker");
    }

    /**
     * Creates an election on its own Lettuce client; it connects on the first {@link #tryLead()}.
     * Same as {@code custom(url, key, nodeId).lease(lease).ticker(ticker).build()}.
     *
     * @param url    {@code redis://HOST:PORT}
     * @param key    the key prefix
     * @param nodeId this instance's name
     * @param lease  the lease time
     * @param ticker the time source of the local lease deadline
     * @return the election
     */
    public static RedisLeaderElection of(String url, String key, String nodeId, Duration lease, Ticker ticker) {
        return custom(url, key, nodeId).lease(lease).ticker(ticker).build();
    }

    /**
     * A builder, for an election that runs on the host's Lettuce {@link ClientResources} (its event
     * loops and timers) instead of making its own.
     *
     * @param url    {@code redis://HOST:PORT}
     * @param key    the key prefix ({@code scale-leader-key})
     * @param nodeId this instance's name
     * @return the builder
     */
    public static Builder custom(String url, String key, String nodeId) {
        return new Builder(url, key, nodeId);
    }

    @Override
    public boolean tryLead() {
        lock.lock();
        try {
            long sentAt;
            try {
                if (connection == null || !connection.isOpen()) {
                    closeConnection();
                    client = resources != null ? RedisClient.create(resources, uri) : RedisClient.create(uri);
                    client.setOptions(ClientOptions.builder().autoReconnect(false)
                            .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(2))).build());
                    connection = client.connect();
                    connection.sync().clientSetname("gb-scaler-" + nodeId.replaceAll("\\s", "_"));
                }
                sentAt = ticker.read();
                Long t = connection.sync().eval(ACQUIRE, ScriptOutputType.INTEGER, new String[] {leaseKey, fenceKey},
                        holder, Long.toString(lease.toMillis()));
                long got = t == null ? 0 : t;
                if (got == 0) {
                    if (token != 0) {
                        LOG.warn("scaler {}: lost the Redis lease {} (term {})", nodeId, leaseKey, token);
                    }
                    token = 0;
                    return false;
                }
                if (got != token) {
                    LOG.info("scaler {}: leads (Redis lease {}, term {})", nodeId, leaseKey, got);
                }
                token = got;
                validUntil = sentAt + lease.toNanos() / 10 * 8;
                return true;
            } catch (RuntimeException e) {
                if (token != 0) {
                    LOG.warn("scaler {}: lost the Redis lease {} (term {}): {}", nodeId, leaseKey, token, e.getMessage());
                } else {
                    LOG.warn("scaler {}: leader election on Redis failed: {}", nodeId, e.getMessage());
                }
                token = 0;
                closeConnection();
                return false;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean stillLeads() {
        lock.lock();
        try {
            return token != 0 && connection != null && connection.isOpen() && ticker.read() - validUntil < 0;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long fencingToken() {
        lock.lock();
        try {
            return token;
        } finally {
            lock.unlock();
        }
    }

    private void closeConnection() {
        if (connection != null) {
            connection.closeAsync();
            connection = null;
        }
        if (client != null) {
            client.shutdownAsync(0, 2, java.util.concurrent.TimeUnit.SECONDS);
            client = null;
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (token != 0 && connection != null && connection.isOpen()) {
                try {
                    connection.sync().eval(RELEASE, ScriptOutputType.INTEGER, new String[] {leaseKey}, holder);
                } catch (RuntimeException e) {
                    LOG.debug("scaler {}: could not release {}: {}", nodeId, leaseKey, e.getMessage());
                }
            }
            token = 0;
            closeConnection();
        } finally {
            lock.unlock();
        }
    }

    /** Builds a {@link RedisLeaderElection}. */
    public static final class Builder {
        private final String url;
        private final String key;
        private final String nodeId;
        private Duration lease = LeaderSettings.MIN_DEFAULT_LEASE;
        private Ticker ticker = Ticker.system();
        private ClientResources resources;

        private Builder(String url, String key, String nodeId) {
            this.url = Objects.requireNonNull(url, "url");
            this.key = Objects.requireNonNull(key, "key");
            this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        }

        /**
         * The lease time ({@code scale-leader-lease-seconds}; default 15 s, the least default of
         * {@link LeaderSettings}).
         *
         * @param lease positive
         * @return this
         */
        public Builder lease(Duration lease) {
            this.lease = Checks.requirePositive("lease", lease);
            return this;
        }

        /**
         * The time source of the local lease deadline (default {@link Ticker#system()}).
         *
         * @param ticker the ticker
         * @return this
         */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * The host's Lettuce resources: the election's clients run on them, and neither a lost
         * connection nor {@link RedisLeaderElection#close()} shuts them down (they are the host's).
         * Without them each client the election makes has resources of its own, shut down with it.
         *
         * @param resources the host's resources
         * @return this
         */
        public Builder clientResources(ClientResources resources) {
            this.resources = Objects.requireNonNull(resources, "resources");
            return this;
        }

        /**
         * Builds the election; it connects on the first {@link RedisLeaderElection#tryLead()}.
         *
         * @return the election
         */
        public RedisLeaderElection build() {
            RedisURI uri = RedisURI.create(url);
            uri.setTimeout(Duration.ofSeconds(2));
            return new RedisLeaderElection(uri, key, nodeId, lease, ticker, resources);
        }
    }
}
