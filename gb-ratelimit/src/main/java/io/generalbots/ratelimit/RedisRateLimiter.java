package io.generalbots.ratelimit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.generalbots.scaling.Checks;
import io.generalbots.scaling.Ticker;
import io.generalbots.scaling.config.HostAndPort;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.TimerTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis backend: every node of a deployment shares one state per client in Redis. Each
 * decision is one {@code EVALSHA} round trip of a GCRA script that checks the global and the
 * endpoint bucket together and writes them only if both allow (no compare-and-swap retries); time
 * is Redis {@code TIME}, never the app node's clock; all numbers stay exact below 2<sup>53</sup>;
 * keys expire once their bucket is full again. The keys of one client are
 * {@code NAME:{CLIENT}:global} and {@code NAME:{CLIENT}:ep:ENDPOINT}: one hash tag, so the script
 * works on Redis Cluster.
 *
 * <p>Failure policy: each decision has a time budget ({@code timeout}); failures and timeouts feed
 * a circuit breaker that opens after {@code breakerThreshold} consecutive ones and tries Redis
 * again after {@code breakerWait}. While Redis fails (a timed-out call, or any call while the
 * breaker is open) the {@link FailureMode} answers: a local limiter of the same limits (default),
 * allow, or deny. Switching to the failure mode and back is logged and reported to listeners.
 *
 * <pre>{@code
 * RedisRateLimiter limiter = RedisRateLimiter.custom(config).standalone("redis://10.0.0.5:6379").build();
 * limiter.decideAsync(clientIp, "chat").thenAccept(d -> ...);
 * }</pre>
 */
public final class RedisRateLimiter implements RateLimiter {

    private static final Logger LOG = LoggerFactory.getLogger(RedisRateLimiter.class);
    /** One timer wheel (1 ms ticks, a daemon thread) for the budgets of all Redis limiters. */
    private static final HashedWheelTimer TIMER = new HashedWheelTimer(r -> {
        Thread t = new Thread(r, "gb-ratelimit-budget");
        t.setDaemon(true);
        return t;
    }, 1, TimeUnit.MILLISECONDS, 512);
    static final String SCRIPT = loadScript();

    /** Reports when the limiter starts answering from its failure mode and when Redis is back. */
    public interface Listener {
        /**
         * Redis failed {@code breakerThreshold} times in a row (or a trial failed): the failure mode answers now.
         *
         * @param cause the last failure
         */
        void onFallback(Throwable cause);

        /** A trial call succeeded: decisions come from Redis again. */
        void onRecovered();
    }

    private final String name;
    private final RateLimitConfig config;
    private final Duration timeout;
    private final FailureMode mode;
    private final Duration breakerWait;
    private final RedisScriptingAsyncCommands<String, String> commands;
    private final AbstractRedisClient ownedClient;
    private final StatefulConnection<String, String> ownedConnection;
    private final String sha;
    private final LocalRateLimiter fallback;
    private final RedisBreaker breaker;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final String[] globalArgs;
    private final Map<String, String[]> endpointArgs = new HashMap<>();
    private final String prefix;

    private RedisRateLimiter(Builder b, RedisScriptingAsyncCommands<String, String> commands,
                             AbstractRedisClient client, StatefulConnection<String, String> connection) {
        this.name = b.name;
        this.config = b.config;
        this.timeout = b.timeout;
        this.mode = b.mode;
        this.breakerWait = b.breakerWait;
        this.commands = commands;
        this.ownedClient = client;
        this.ownedConnection = connection;
        this.sha = commands.digest(SCRIPT);
        this.prefix = name + ":{";
        this.fallback = LocalRateLimiter.custom(config).name(name + "-fallback").ticker(b.ticker).maxKeys(b.maxKeys).build();
        this.breaker = new RedisBreaker(b.breakerThreshold, b.breakerWait.toNanos(), b.ticker, this::onTransition);
        Bucket global = config.globalBucket();
        this.globalArgs = args(global, null);
        for (String endpoint : config.endpoints().keySet()) {
            endpointArgs.put(endpoint, args(global, config.endpointBucket(endpoint)));
        }
    }

    private static String[] args(Bucket g, Bucket e) {
        List<String> out = new ArrayList<>();
        for (Bucket b : e == null ? List.of(g) : List.of(g, e)) {
            out.add(Long.toString(b.increment / b.scale));
            out.add(Long.toString(b.increment % b.scale));
            out.add(Long.toString(b.scale));
            out.add(Long.toString(b.tolerance));
        }
        return out.toArray(new String[0]);
    }

    /**
     * A builder for a Redis limiter with these limits.
     *
     * @param config the limits
     * @return the builder
     */
    public static Builder custom(RateLimitConfig config) {
        return new Builder(config);
    }

    @Override
    public RateLimitDecision decide(String key, String endpoint) {
        return decideAsync(key, endpoint).toCompletableFuture().join();
    }

    @Override
    public CompletionStage<RateLimitDecision> decideAsync(String key, String endpoint) {
        Objects.requireNonNull(key, "key");
        if (!breaker.tryCall()) {
            return CompletableFuture.completedFuture(failureDecision(key, endpoint));
        }
        Bucket global = config.globalBucket();
        Bucket ep = config.endpointBucket(endpoint);
        String base = prefix + key + "}:";
        String[] keys = ep == null ? new String[] {base + "global"} : new String[] {base + "global", base + "ep:" + ep.name};
        String[] argv = ep == null ? globalArgs : endpointArgs.get(ep.name);
        CompletableFuture<List<Object>> call;
        try {
            call = this.<List<Object>>evalsha(keys, argv)
                    .exceptionallyCompose(e -> unwrap(e) instanceof RedisNoScriptException
                            ? commands.<List<Object>>eval(SCRIPT, ScriptOutputType.MULTI, keys, argv).toCompletableFuture()
                            : CompletableFuture.failedFuture(e));
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        Call pending = new Call(key, endpoint, global, ep);
        pending.timeout = TIMER.newTimeout(pending, timeout.toNanos(), TimeUnit.NANOSECONDS);
        call.whenComplete(pending);
        return pending;
    }

    /**
     * One decision in flight: completed by the reply or by the budget's timer, whichever comes
     * first (one object for the three roles, so a decision costs few allocations; a timer wheel
     * instead of CompletableFuture.orTimeout, whose shared scheduler cost a third of the throughput).
     */
    private final class Call extends CompletableFuture<RateLimitDecision>
            implements TimerTask, java.util.function.BiConsumer<List<Object>, Throwable> {
        private final String key;
        private final String endpoint;
        private final Bucket global;
        private final Bucket ep;
        private final java.util.concurrent.atomic.AtomicBoolean claimed = new java.util.concurrent.atomic.AtomicBoolean();
        volatile Timeout timeout;

        Call(String key, String endpoint, Bucket global, Bucket ep) {
            this.key = key;
            this.endpoint = endpoint;
            this.global = global;
            this.ep = ep;
        }

        @Override
        public void run(Timeout t) {
            if (claimed.compareAndSet(false, true)) {
                breaker.onFailure(new java.util.concurrent.TimeoutException("no reply from Redis within " + RedisRateLimiter.this.timeout));
                complete(failureDecision(key, endpoint));
            }
        }

        @Override
        public void accept(List<Object> reply, Throwable error) {
            Timeout t = timeout;
            if (t != null) {
                t.cancel();
            }
            if (!claimed.compareAndSet(false, true)) {
                return;
            }
            if (error != null) {
                breaker.onFailure(unwrap(error));
                complete(failureDecision(key, endpoint));
                return;
            }
            try {
                breaker.onSuccess();
                complete(RateLimitDecision.combine(global, (Long) reply.get(1), ep,
                        ep == null ? 0 : (Long) reply.get(2), RateLimitDecision.Source.REDIS));
            } catch (RuntimeException e) { // an unexpected reply: treat as a Redis failure
                breaker.onFailure(e);
                complete(failureDecision(key, endpoint));
            }
        }
    }

    private <T> CompletableFuture<T> evalsha(String[] keys, String[] argv) {
        return commands.<T>evalsha(sha, ScriptOutputType.MULTI, keys, argv).toCompletableFuture();
    }

    private RateLimitDecision failureDecision(String key, String endpoint) {
        switch (mode) {
            case OPEN:
                return RateLimitDecision.unlimited(true, 0, RateLimitDecision.Source.FAIL_OPEN);
            case CLOSED:
                return RateLimitDecision.unlimited(false, breakerWait.toNanos() / 1000, RateLimitDecision.Source.FAIL_CLOSED);
            default:
                return fallback.decide(key, endpoint, RateLimitDecision.Source.FALLBACK_LOCAL);
        }
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private void onTransition(RedisBreaker.State from, RedisBreaker.State to, Throwable cause) {
        if (to == RedisBreaker.State.OPEN && from == RedisBreaker.State.CLOSED) {
            LOG.warn("rate limiter '{}': Redis failing ({}), answering with failure mode {} for {} before a retry",
                    name, cause, mode, breakerWait);
            listeners.forEach(l -> l.onFallback(cause));
        } else if (to == RedisBreaker.State.OPEN) {
            LOG.info("rate limiter '{}': Redis trial call failed ({}), staying on failure mode {}", name, cause, mode);
        } else if (to == RedisBreaker.State.CLOSED) {
            LOG.info("rate limiter '{}': Redis answers again, decisions come from Redis", name);
            listeners.forEach(Listener::onRecovered);
        }
    }

    /**
     * Adds a listener of fallback switches.
     *
     * @param listener the listener
     */
    public void addListener(Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Whether decisions currently come from the failure mode instead of Redis.
     *
     * @return true while the breaker is open or half-open
     */
    public boolean isFallbackActive() {
        return breaker.state() != RedisBreaker.State.CLOSED;
    }

    @Override
    public RateLimitConfig config() {
        return config;
    }

    /**
     * The limiter's name: the prefix of its Redis keys, in logs and meters.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    @Override
    public void close() {
        if (ownedConnection != null) {
            ownedConnection.close();
        }
        if (ownedClient != null) {
            ownedClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Override
    public String toString() {
        return "RedisRateLimiter{" + name + ", " + config + ", mode=" + mode + ", timeout=" + timeout + "}";
    }

    private static String loadScript() {
        try (InputStream in = RedisRateLimiter.class.getResourceAsStream("gcra.lua")) {
            if (in == null) {
                throw new IllegalStateException("gcra.lua missing from the gb-ratelimit jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Builds a {@link RedisRateLimiter}; give it a Redis with {@link #standalone}, {@link #cluster} or {@link #commands}. */
    public static final class Builder {
        private final RateLimitConfig config;
        private String name = "gbrl";
        private Duration timeout = Duration.ofMillis(50);
        private FailureMode mode = FailureMode.LOCAL;
        private int breakerThreshold = 5;
        private Duration breakerWait = Duration.ofSeconds(10);
        private Ticker ticker = Ticker.system();
        private long maxKeys = 100_000;
        private List<RedisURI> uris;
        private boolean cluster;
        private RedisScriptingAsyncCommands<String, String> commands;

        private Builder(RateLimitConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /**
         * Names the limiter: the prefix of its Redis keys, in logs and meters (default {@code gbrl}).
         *
         * @param name letters, digits, {@code -}, {@code _}, {@code .}
         * @return this
         */
        public Builder name(String name) {
            Checks.require(name != null && name.matches("[A-Za-z0-9._-]+"), "name", "letters, digits, '-', '_' or '.'",
                    name);
            this.name = name;
            return this;
        }

        /**
         * Connects to one Redis (the limiter owns and closes the connection).
         *
         * @param uri e.g. {@code redis://127.0.0.1:6379}
         * @return this
         */
        public Builder standalone(String uri) {
            this.uris = List.of(RedisURI.create(uri));
            this.cluster = false;
            return this;
        }

        /**
         * Connects to a Redis Cluster through these seed nodes (the limiter owns the connection).
         *
         * @param uris seed node URIs
         * @return this
         */
        public Builder cluster(List<String> uris) {
            Checks.require(!uris.isEmpty(), "cluster uris", "non-empty", uris);
            this.uris = uris.stream().map(RedisURI::create).toList();
            this.cluster = true;
            return this;
        }

        /**
         * Connects to the nodes of {@code rate-limit-redis}.
         *
         * @param nodes   the nodes
         * @param cluster whether they form a Redis Cluster
         * @return this
         */
        public Builder nodes(List<HostAndPort> nodes, boolean cluster) {
            Checks.require(!nodes.isEmpty(), "rate-limit-redis", "non-empty", nodes);
            this.uris = nodes.stream().map(n -> RedisURI.create(n.host(), n.port())).toList();
            this.cluster = cluster;
            return this;
        }

        /**
         * Uses commands of a connection the caller owns (standalone or cluster); not closed by the limiter.
         *
         * @param commands the async commands of a String-codec connection
         * @return this
         */
        public Builder commands(RedisScriptingAsyncCommands<String, String> commands) {
            this.commands = Objects.requireNonNull(commands, "commands");
            return this;
        }

        /**
         * The time budget of one decision on Redis (default 50 ms).
         *
         * @param timeout positive
         * @return this
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Checks.requirePositive("timeout", timeout);
            return this;
        }

        /**
         * What answers while Redis fails (default {@link FailureMode#LOCAL}).
         *
         * @param mode the mode
         * @return this
         */
        public Builder failureMode(FailureMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * The circuit breaker: open after {@code threshold} consecutive failures, try again after {@code wait}
         * (defaults 5 and 10 s).
         *
         * @param threshold from 1 to 1000
         * @param wait      positive
         * @return this
         */
        public Builder breaker(int threshold, Duration wait) {
            this.breakerThreshold = Checks.requireRange("breaker threshold", threshold, 1, 1000);
            this.breakerWait = Checks.requirePositive("breaker wait", wait);
            return this;
        }

        /**
         * The time source of the breaker and the local fallback (default the system ticker).
         *
         * @param ticker the ticker
         * @return this
         */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * The bound on keys of the local fallback (default 100,000).
         *
         * @param maxKeys from 1 to 1,000,000,000
         * @return this
         */
        public Builder maxKeys(long maxKeys) {
            this.maxKeys = Checks.requireRange("maxKeys", maxKeys, 1, 1_000_000_000);
            return this;
        }

        /**
         * Connects (if given URIs) and builds the limiter. Redis must be reachable now; later outages are
         * handled by the failure policy and Lettuce reconnects by itself.
         *
         * @return the limiter
         * @throws io.lettuce.core.RedisConnectionException if Redis cannot be reached
         */
        public RedisRateLimiter build() {
            if (commands != null) {
                return new RedisRateLimiter(this, commands, null, null);
            }
            Checks.require(uris != null, "redis", "given with standalone(), cluster(), nodes() or commands()", null);
            SocketOptions socket = SocketOptions.builder().connectTimeout(Duration.ofSeconds(2))
                    .keepAlive(true).build();
            TimeoutOptions timeouts = TimeoutOptions.enabled(timeout.multipliedBy(4).plusMillis(100));
            if (cluster) {
                RedisClusterClient client = RedisClusterClient.create(uris);
                client.setOptions(ClusterClientOptions.builder()
                        .autoReconnect(true)
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .socketOptions(socket).timeoutOptions(timeouts)
                        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                                .enableAllAdaptiveRefreshTriggers().enablePeriodicRefresh(Duration.ofSeconds(30)).build())
                        .build());
                try {
                    var connection = client.connect();
                    return new RedisRateLimiter(this, connection.async(), client, connection);
                } catch (RuntimeException e) {
                    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
                    throw e;
                }
            }
            RedisClient client = RedisClient.create();
            client.setOptions(ClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .socketOptions(socket).timeoutOptions(timeouts).build());
            try {
                var connection = client.connect(uris.get(0));
                return new RedisRateLimiter(this, connection.async(), client, connection);
            } catch (RuntimeException e) {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
                throw e;
            }
        }
    }
}
