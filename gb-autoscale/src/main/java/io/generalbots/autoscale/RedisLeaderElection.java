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
    /** Held over the Redis calls: a lock, not the monitor, since they do network I/O. */
    private final ReentrantLock lock = new ReentrantLock();
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private long token;
    private long validUntil;

    private RedisLeaderElection(RedisURI uri, String key, String nodeId, Duration lease, Ticker ticker) {
        this.uri = uri;
        this.leaseKey = "{" + key + "}:lease";
        this.fenceKey = "{" + key + "}:fence";
        this.nodeId = nodeId;
        this.holder = nodeId.replaceAll("\\s", "_") + "/" + UUID.randomUUID();
        this.lease = Checks.requirePositive("lease", lease);
        this.ticker = Objects.requireNonNull(ticker, "ticker");
    }

    /**
     * Creates an election; it connects on the first {@link #tryLead()}.
     *
     * @param url    {@code redis://HOST:PORT}
     * @param key    the key prefix
     * @param nodeId this instance's name
     * @param lease  the lease time
     * @param ticker the time source of the local lease deadline
     * @return the election
     */
    public static RedisLeaderElection of(String url, String key, String nodeId, Duration lease, Ticker ticker) {
        RedisURI uri = RedisURI.create(Objects.requireNonNull(url, "url"));
        uri.setTimeout(Duration.ofSeconds(2));
        return new RedisLeaderElection(uri, Objects.requireNonNull(key, "key"), Objects.requireNonNull(nodeId, "nodeId"),
                lease, ticker);
    }

    @Override
    public boolean tryLead() {
        lock.lock();
        try {
            long sentAt;
            try {
                if (connection == null || !connection.isOpen()) {
                    closeConnection();
                    client = RedisClient.create(uri);
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
}
