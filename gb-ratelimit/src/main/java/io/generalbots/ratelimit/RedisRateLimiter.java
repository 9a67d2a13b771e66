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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import io.generalbots.scaling.Checks;
import io.generalbots.scaling.DaemonThreads;
import io.generalbots.scaling.Ticker;
import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.scaling.event.EventListener;
import io.generalbots.scaling.event.EventPublisher;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
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
import io.lettuce.core.resource.ClientResources;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.Timer;
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
 * <p>Warm-up: {@link Builder#build()} loads the script ({@code SCRIPT LOAD}, on every master of a
 * cluster) and makes one round trip of it that writes nothing, within {@code warmupTimeout}, so the
 * first decisions neither pay for {@code NOSCRIPT} + {@code EVAL} nor for a cold connection. For
 * {@code warmup} after the first decision (default 5 s) a decision's budget and failure timeout
 * are both {@code warmupTimeout} (default 2 s): a cold JVM's latency is waited for, not an outage.
 *
 * <p>Failure policy: each decision has a time budget ({@code timeout}); a decision whose reply is
 * not there within it is answered by the {@link FailureMode} at once. Redis counts as failing only
 * when a call fails or has no reply within {@code failureTimeout} (default 4 × timeout + 100 ms): a
 * late reply is a slow Redis, not an outage (a cold JVM, a GC pause). Failures feed a circuit
 * breaker that opens after {@code breakerThreshold} consecutive ones and tries Redis again after
 * {@code breakerWait}; while it is open nothing goes to Redis and the failure mode answers: a local
 * limiter of the same limits (default), allow, or deny. Switching to the failure mode and back is
 * logged and published to the listeners ({@link #addListener}) as {@link RateLimiterEvent}s; a
 * listener that throws is logged and skipped, it never breaks a decision.
 *
 * <p>The local fallback mirrors Redis: every reply (on time or late) moves that client's local state
 * to what Redis reported, so a client Redis is limiting never finds a full local bucket. While the
 * breaker is closed (Redis presumed up, one reply late), the fallback answers from the last reply
 * without refill since then; once the breaker is open (an outage), it refills at the configured
 * rate from there, per node. A client this node never had a Redis answer for starts full.
 *
 * <p>Threads and resources: a limiter given URIs ({@link Builder#standalone}, {@link Builder#cluster},
 * {@link Builder#nodes}) creates its own Lettuce client and closes it with {@link #close()}; that
 * client runs on the host's Lettuce {@link ClientResources} when the builder is given them
 * ({@link Builder#clientResources}), which {@link #close()} leaves running, else on resources of its
 * own (Lettuce's {@code lettuce-*} threads), shut down with it. The budgets of decisions run on a
 * timer wheel: by default one shared by every Redis limiter of the JVM, on a daemon thread named
 * {@code gb-ratelimit-budget}; with {@link Builder#threadFactory} the limiter has a wheel of its own
 * whose one thread comes from the host's factory, and stops that wheel (not the factory) on
 * {@link #close()}.
 *
 * <pre>{@code
 * RedisRateLimiter limiter = RedisRateLimiter.custom(config).standalone("redis://10.0.0.5:6379").build();
 * limiter.decideAsync(clientIp, "chat").thenAccept(d -> ...);
 *
 * RedisRateLimiter onTheHostsResources = RedisRateLimiter.custom(config).standalone("redis://10.0.0.5:6379")
 *         .clientResources(lettuceResources)          // the application's event loops; not shut down by close()
 *         .threadFactory(hostThreadFactory)           // the budget timer's thread
 *         .build();
 * }</pre>
 */
public final class RedisRateLimiter implements RateLimiter {

    private static final Logger LOG = LoggerFactory.getLogger(RedisRateLimiter.class);
    /** One timer wheel (1 ms ticks, a daemon thread) for the budgets of all Redis limiters. */
    private static final HashedWheelTimer TIMER = budgetTimer(DaemonThreads.named("gb-ratelimit-budget"));
    static final String SCRIPT = loadScript();
    private static final long NOT_STARTED = Long.MIN_VALUE;

    private final String name;
    private final RateLimitConfig config;
    private final Duration timeout;
    private final long timeoutNanos;
    private final long lateNanos;
    private final Duration failureTimeout;
    private final Duration warmupTimeout;
    private final long warmupNanos;
    private final long warmupPeriodNanos;
    private final AtomicLong warmUntil = new AtomicLong(NOT_STARTED);
    private volatile boolean warm;
    private final Ticker ticker;
    private final Timer timer;
    /** The timer this limiter made from the host's thread factory, stopped on close; else null. */
    private final HashedWheelTimer ownedTimer;
    private final FailureMode mode;
    private final Duration breakerWait;
    private final RedisScriptingAsyncCommands<String, String> commands;
    private final AbstractRedisClient ownedClient;
    private final StatefulConnection<String, String> ownedConnection;
    private final String sha;
    private final LocalRateLimiter fallback;
    private final RedisBreaker breaker;
    private final EventPublisher<RateLimiterEvent> events;
    private final String[] globalArgs;
    private final Map<String, String[]> endpointArgs = new HashMap<>();
    private final String prefix;
    final DecisionRecorders recorders = new DecisionRecorders();

    private RedisRateLimiter(Builder b, RedisScriptingAsyncCommands<String, String> commands,
                             AbstractRedisClient client, StatefulConnection<String, String> connection,
                             HashedWheelTimer ownedTimer) {
        this.name = b.name;
        this.config = b.config;
        this.timeout = b.timeout;
        this.timeoutNanos = b.timeout.toNanos();
        this.failureTimeout = b.effectiveFailureTimeout();
        this.lateNanos = failureTimeout.toNanos() - timeoutNanos;
        this.warmupTimeout = b.effectiveWarmupTimeout();
        this.warmupNanos = warmupTimeout.toNanos();
        this.warmupPeriodNanos = b.warmupPeriod.toNanos();
        this.warm = warmupPeriodNanos == 0;
        this.ticker = b.ticker;
        this.ownedTimer = ownedTimer;
        this.timer = ownedTimer != null ? ownedTimer : b.timer;
        this.mode = b.mode;
        this.breakerWait = b.breakerWait;
        this.commands = commands;
        this.ownedClient = client;
        this.ownedConnection = connection;
        this.sha = commands.digest(SCRIPT);
        this.prefix = name + ":{";
        this.events = EventPublisher.of("rate limiter '" + name + "'");
        this.fallback = b.mode != FailureMode.LOCAL ? null
                : LocalRateLimiter.custom(config).name(name + "-fallback").ticker(b.ticker).maxKeys(b.maxKeys).build();
        this.breaker = new RedisBreaker(b.breakerThreshold, b.breakerWait.toNanos(), b.ticker, this::onTransition);
        Bucket global = config.globalBucket();
        this.globalArgs = args(global, null);
        for (String endpoint : config.endpoints().keySet()) {
            endpointArgs.put(endpoint, args(global, config.endpointBucket(endpoint)));
        }
        warmUp(warmupTimeout);
    }

    /**
     * Loads the script and runs it once on a probe key with a bucket of tolerance 0 (always denied,
     * so it writes nothing), waiting up to {@code budget} for each: the connection, the script cache
     * and this JVM's code path are warm before the first decision.
     */
    private void warmUp(Duration budget) {
        try {
            String loaded = commands.scriptLoad(SCRIPT).get(budget.toNanos(), TimeUnit.NANOSECONDS);
            if (!sha.equals(loaded)) {
                throw new IllegalStateException("Redis answered SCRIPT LOAD with " + loaded + ", expected " + sha);
            }
            List<Object> probe = this.<List<Object>>evalsha(new String[] {prefix + "gb-warmup}:global"},
                    new String[] {"1", "0", "1", "0"}).get(budget.toNanos(), TimeUnit.NANOSECONDS);
            if (probe == null || probe.size() != 3 || !Long.valueOf(0).equals(probe.get(0))) {
                throw new IllegalStateException("unexpected reply to the warm-up probe: " + probe);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisUnavailableException(name, "rate limiter '" + name + "': interrupted while warming up", e);
        } catch (ExecutionException | TimeoutException
                 | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? unwrap(e.getCause()) : e;
            throw new RedisUnavailableException(name, "rate limiter '" + name + "': Redis did not complete the warm-up "
                    + "(SCRIPT LOAD and one probe) within " + budget + ": " + cause, cause);
        }
        LOG.debug("rate limiter '{}': script {} loaded and probed", name, sha);
    }

    /** A wheel of 1 ms ticks for the budgets, its one thread from this factory (started on first use). */
    static HashedWheelTimer budgetTimer(ThreadFactory threads) {
        return new HashedWheelTimer(threads, 1, TimeUnit.MILLISECONDS, 512);
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
            RateLimitDecision d = failureDecision(key, endpoint, false);
            recorders.decided(d.source(), config.endpointBucket(endpoint), d.allowed());
            return CompletableFuture.completedFuture(d);
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
        boolean warming = warming();
        Call pending = new Call(key, endpoint, global, ep, warming, ticker.read());
        pending.timeout = timer.newTimeout(pending, warming ? warmupNanos : timeoutNanos, TimeUnit.NANOSECONDS);
        call.whenComplete(pending);
        return pending;
    }

    /**
     * Whether this decision falls in the warm-up period, which starts with the first decision: a
     * cold JVM (class loading, JIT, a new connection's buffers) may take far longer than the budget
     * while Redis is fine, so a decision gets {@code warmupTimeout} both as its budget and as its
     * failure timeout.
     */
    private boolean warming() {
        if (warm) {
            return false;
        }
        long now = ticker.read();
        long until = warmUntil.get();
        if (until == NOT_STARTED) {
            warmUntil.compareAndSet(NOT_STARTED, now + warmupPeriodNanos);
            until = warmUntil.get();
        }
        if (now - until >= 0) {
            warm = true;
            LOG.debug("rate limiter '{}': warm-up over, budget {} from now on", name, timeout);
            return false;
        }
        return true;
    }

    /**
     * One decision in flight: completed by the reply or by the budget's timer, whichever comes
     * first (one object for the three roles, so a decision costs few allocations; a timer wheel
     * instead of CompletableFuture.orTimeout, whose shared scheduler cost a third of the throughput).
     * A call whose budget ran out stays open for its verdict: a reply before {@code failureTimeout}
     * is a success for the breaker (Redis is up, only slow), an error or no reply a failure. During
     * the warm-up both times are {@code warmupTimeout}.
     */
    private final class Call extends CompletableFuture<RateLimitDecision>
            implements TimerTask, BiConsumer<List<Object>, Throwable> {
        private static final int WAITING = 0;
        private static final int LATE = 1;
        private static final int DONE = 2;
        private final String key;
        private final String endpoint;
        private final Bucket global;
        private final Bucket ep;
        private final boolean warming;
        private final long start;
        private final AtomicInteger phase = new AtomicInteger();
        volatile Timeout timeout;

        Call(String key, String endpoint, Bucket global, Bucket ep, boolean warming, long start) {
            this.key = key;
            this.endpoint = endpoint;
            this.global = global;
            this.ep = ep;
            this.warming = warming;
            this.start = start;
        }

        /** Answers the caller and counts the decision. */
        private void finish(RateLimitDecision d) {
            recorders.decided(d.source(), ep, d.allowed());
            complete(d);
        }

        @Override
        public void run(Timeout t) {
            if (phase.compareAndSet(WAITING, LATE)) { // the budget is over: answer now, judge Redis later
                if (warming) {
                    judge();
                } else {
                    timeout = timer.newTimeout(this, lateNanos, TimeUnit.NANOSECONDS);
                }
                finish(failureDecision(key, endpoint, breaker.state() == RedisBreaker.State.CLOSED));
            } else {
                judge();
            }
        }

        /** The limiter closed before the budget ran out: the failure mode answers, if the reply has not. */
        void closed() {
            if (phase.compareAndSet(WAITING, DONE)) {
                finish(failureDecision(key, endpoint, breaker.state() == RedisBreaker.State.CLOSED));
            }
        }

        /** No reply within the failure timeout: a failure, unless the reply came first. */
        private void judge() {
            if (phase.compareAndSet(LATE, DONE)) {
                recorders.redisCall(ticker.read() - start, DecisionRecorders.Recorder.TIMEOUT);
                breaker.onFailure(new TimeoutException("no reply from Redis within "
                        + (warming ? warmupTimeout + " (warm-up)" : failureTimeout)));
            }
        }

        @Override
        public void accept(List<Object> reply, Throwable error) {
            Timeout t = timeout;
            if (t != null) {
                t.cancel();
            }
            RateLimitDecision decision = null;
            Throwable failure = error == null ? null : unwrap(error);
            if (failure == null) {
                try {
                    long allowed = (Long) reply.get(0);
                    long globalDiff = (Long) reply.get(1);
                    long endDiff = ep == null ? 0 : (Long) reply.get(2);
                    decision = RateLimitDecision.combine(global, globalDiff, ep, endDiff, RateLimitDecision.Source.REDIS);
                    if (fallback != null) {
                        fallback.seed(key, global, globalDiff, ep, endDiff, allowed == 1);
                    }
                } catch (RuntimeException e) { // an unexpected reply: treat as a Redis failure
                    failure = e;
                }
            }
            int p;
            do {
                p = phase.get();
                if (p == DONE) {
                    return; // judged already (its verdict came first)
                }
            } while (!phase.compareAndSet(p, DONE));
            // a reply after the budget is still a round trip: its time shows above the budget bucket
            recorders.redisCall(ticker.read() - start,
                    failure != null ? DecisionRecorders.Recorder.ERROR : DecisionRecorders.Recorder.REPLY);
            if (failure != null) {
                breaker.onFailure(failure);
            } else {
                breaker.onSuccess();
            }
            if (p == WAITING) {
                finish(decision != null ? decision
                        : failureDecision(key, endpoint, breaker.state() == RedisBreaker.State.CLOSED));
            }
        }
    }

    private <T> CompletableFuture<T> evalsha(String[] keys, String[] argv) {
        return commands.<T>evalsha(sha, ScriptOutputType.MULTI, keys, argv).toCompletableFuture();
    }

    /**
     * The failure mode's answer. {@code presumedUp}: the breaker is closed (one reply missing or one
     * error): the local fallback answers from the client's last Redis answer without refill.
     */
    private RateLimitDecision failureDecision(String key, String endpoint, boolean presumedUp) {
        switch (mode) {
            case OPEN:
                return RateLimitDecision.unlimited(true, 0, RateLimitDecision.Source.FAIL_OPEN);
            case CLOSED:
                return RateLimitDecision.unlimited(false, breakerWait.toNanos() / 1000, RateLimitDecision.Source.FAIL_CLOSED);
            default:
                return fallback.decide(key, endpoint, RateLimitDecision.Source.FALLBACK_LOCAL, presumedUp);
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
            events.publish(new RateLimiterEvent.FallbackStarted(name, mode, breakerWait, cause));
        } else if (to == RedisBreaker.State.OPEN) {
            LOG.info("rate limiter '{}': Redis trial call failed ({}), staying on failure mode {}", name, cause, mode);
            events.publish(new RateLimiterEvent.TrialFailed(name, cause));
        } else if (to == RedisBreaker.State.CLOSED) {
            LOG.info("rate limiter '{}': Redis answers again, decisions come from Redis", name);
            events.publish(new RateLimiterEvent.Recovered(name));
        }
    }

    /**
     * Adds a listener of the switches to the failure mode and back. Called on the thread that
     * noticed the switch (a Lettuce or timer thread, or a decision's); keep it short. A listener
     * that throws is logged and skipped.
     *
     * @param listener the listener
     */
    public void addListener(EventListener<? super RateLimiterEvent> listener) {
        events.addListener(listener);
    }

    /**
     * Removes a listener.
     *
     * @param listener the listener
     * @return whether it was a listener
     */
    public boolean removeListener(EventListener<? super RateLimiterEvent> listener) {
        return events.removeListener(listener);
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

    /** What answers while Redis fails. */
    FailureMode failureMode() {
        return mode;
    }

    /** The time budget of one decision on Redis. */
    Duration timeout() {
        return timeout;
    }

    /** How long a call may go without a reply before it counts as a failure of Redis. */
    Duration failureTimeout() {
        return failureTimeout;
    }

    /**
     * The limiter's name: the prefix of its Redis keys, in logs and meters.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Closes what the limiter created: its connection and Lettuce client (given URIs), and its budget
     * timer (given a {@link Builder#threadFactory}). What the host gave it — {@link Builder#commands}'
     * connection, {@link Builder#clientResources}, the thread factory — is left as it is.
     */
    @Override
    public void close() {
        try {
            if (ownedConnection != null) {
                ownedConnection.close();
            }
            if (ownedClient != null) {
                ownedClient.shutdown(Duration.ZERO, Duration.ofSeconds(2)); // shuts down only resources it created
            }
        } finally {
            if (ownedTimer != null) {
                for (Timeout pending : ownedTimer.stop()) { // budgets not run yet: answer their decisions now
                    if (pending.task() instanceof Call call) {
                        call.closed();
                    }
                }
            }
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
        private Duration failureTimeout;
        private Duration warmupTimeout;
        private Duration warmupPeriod = Duration.ofSeconds(5);
        private Timer timer = TIMER;
        private FailureMode mode = FailureMode.LOCAL;
        private int breakerThreshold = 5;
        private Duration breakerWait = Duration.ofSeconds(10);
        private Ticker ticker = Ticker.system();
        private long maxKeys = 100_000;
        private List<RedisURI> uris;
        private boolean cluster;
        private RedisScriptingAsyncCommands<String, String> commands;
        private ClientResources clientResources;
        private ThreadFactory threadFactory;

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
         * Give it a command timeout (Lettuce {@code TimeoutOptions}) of at least the {@link #warmupTimeout}
         * and the {@link #failureTimeout}: an earlier timeout there is an error, which counts as a failure.
         *
         * @param commands the async commands of a String-codec connection
         * @return this
         */
        public Builder commands(RedisScriptingAsyncCommands<String, String> commands) {
            this.commands = Objects.requireNonNull(commands, "commands");
            return this;
        }

        /**
         * The host's Lettuce resources (event loops, timers, DNS) for the client the limiter creates
         * from {@link #standalone}, {@link #cluster} or {@link #nodes}, instead of resources of its
         * own. {@link RedisRateLimiter#close()} closes that client but leaves the resources running:
         * they are the host's. Not used with {@link #commands}, whose connection is the caller's.
         *
         * @param resources the resources, e.g. a Spring application's {@code LettuceClientConfiguration}'s
         * @return this
         */
        public Builder clientResources(ClientResources resources) {
            this.clientResources = Objects.requireNonNull(resources, "clientResources");
            return this;
        }

        /**
         * Where the limiter's own thread comes from: the one thread of the timer wheel that ends the
         * budgets of its decisions. Without it, every Redis limiter of the JVM shares one wheel on a
         * daemon thread named {@code gb-ratelimit-budget}; with it, the limiter has a wheel of its own,
         * asks the factory for its one thread when built, starts it on the first decision, and stops
         * it on {@link RedisRateLimiter#close()}, answering the decisions still within their budget
         * from the failure mode (the factory is the host's and is left as it is).
         *
         * @param threads the host's thread factory
         * @return this
         */
        public Builder threadFactory(ThreadFactory threads) {
            this.threadFactory = Objects.requireNonNull(threads, "threadFactory");
            return this;
        }

        /**
         * The time budget of one decision on Redis (default 50 ms): past it, the decision is answered
         * by the failure mode (see {@link #failureTimeout} for when that counts as a failure).
         *
         * @param timeout positive
         * @return this
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Checks.requirePositive("timeout", timeout);
            return this;
        }

        /**
         * How long a reply may be missing before the call counts as a Redis failure for the breaker
         * (default 4 × {@link #timeout} + 100 ms, at least the timeout). A decision never waits for it:
         * past its budget it is answered by the failure mode; a reply between the two is a slow Redis,
         * not an outage.
         *
         * @param failureTimeout positive, at least the timeout (checked at {@link #build()})
         * @return this
         */
        public Builder failureTimeout(Duration failureTimeout) {
            this.failureTimeout = Checks.requirePositive("failure timeout", failureTimeout);
            return this;
        }

        /**
         * The time the warm-up at {@link #build()} may take ({@code SCRIPT LOAD} and one probe round
         * trip of the script, each), and a decision's budget and failure timeout during the
         * {@linkplain #warmup warm-up period} (default 2 s, or the {@link #timeout} if that is longer).
         *
         * @param warmupTimeout positive, at least the timeout (checked at {@link #build()})
         * @return this
         */
        public Builder warmupTimeout(Duration warmupTimeout) {
            this.warmupTimeout = Checks.requirePositive("warm-up timeout", warmupTimeout);
            return this;
        }

        /**
         * The warm-up period, from the limiter's first decision (default 5 s; zero: none). During it
         * a decision's budget and failure timeout are both {@link #warmupTimeout}: the first seconds of
         * a cold JVM (class loading, JIT, several processes starting on few cores) can miss a 50 ms
         * budget while Redis is fine, and that must neither answer from the failure mode nor count
         * as an outage.
         *
         * @param period zero or positive
         * @return this
         */
        public Builder warmup(Duration period) {
            Checks.require(period != null && !period.isNegative(), "warm-up period", "zero or positive", period);
            this.warmupPeriod = period;
            return this;
        }

        /** The timer of the budgets (tests: a manual one). */
        Builder timer(Timer timer) {
            this.timer = Objects.requireNonNull(timer, "timer");
            return this;
        }

        Duration effectiveFailureTimeout() {
            Duration d = failureTimeout != null ? failureTimeout : timeout.multipliedBy(4).plusMillis(100);
            Checks.require(d.compareTo(timeout) >= 0, "failure timeout", "at least the timeout (" + timeout + ")", d);
            Checks.require(warmupTimeout == null || warmupTimeout.compareTo(timeout) >= 0, "warm-up timeout",
                    "at least the timeout (" + timeout + ")", warmupTimeout);
            return d;
        }

        Duration effectiveWarmupTimeout() {
            if (warmupTimeout != null) {
                return warmupTimeout;
            }
            Duration d = Duration.ofSeconds(2);
            return timeout.compareTo(d) > 0 ? timeout : d;
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
         * Connects (if given URIs), warms up (loads the script and probes it) and builds the limiter.
         * Redis must be reachable now; later outages are handled by the failure policy and Lettuce
         * reconnects by itself.
         *
         * @return the limiter
         * @throws RedisUnavailableException if Redis cannot be reached or does not complete the
         *         warm-up within {@link #warmupTimeout} (Lettuce's exception is the cause)
         */
        public RedisRateLimiter build() {
            Duration failAfter = effectiveFailureTimeout();
            if (commands == null) {
                Checks.require(uris != null, "redis", "given with standalone(), cluster(), nodes() or commands()", null);
            }
            HashedWheelTimer ownedTimer = threadFactory == null ? null : budgetTimer(threadFactory);
            try {
                return commands != null ? new RedisRateLimiter(this, commands, null, null, ownedTimer)
                        : connect(failAfter, ownedTimer);
            } catch (RuntimeException | Error e) {
                if (ownedTimer != null) {
                    ownedTimer.stop();
                }
                throw e;
            }
        }

        private RedisRateLimiter connect(Duration failAfter, HashedWheelTimer ownedTimer) {
            SocketOptions socket = SocketOptions.builder().connectTimeout(Duration.ofSeconds(2))
                    .keepAlive(true).build();
            // Lettuce's own command timeout must not cut a warm-up call short
            Duration warmAfter = effectiveWarmupTimeout();
            TimeoutOptions timeouts = TimeoutOptions.enabled(failAfter.compareTo(warmAfter) >= 0 ? failAfter : warmAfter);
            if (cluster) {
                RedisClusterClient client = clientResources == null ? RedisClusterClient.create(uris)
                        : RedisClusterClient.create(clientResources, uris);
                client.setOptions(ClusterClientOptions.builder()
                        .autoReconnect(true)
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .socketOptions(socket).timeoutOptions(timeouts)
                        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                                .enableAllAdaptiveRefreshTriggers() // off by default before Lettuce 7
                                .enablePeriodicRefresh(Duration.ofSeconds(30)).build())
                        .build());
                try {
                    var connection = client.connect();
                    return new RedisRateLimiter(this, connection.async(), client, connection, ownedTimer);
                } catch (RuntimeException e) {
                    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
                    throw unavailable(e);
                }
            }
            RedisClient client = clientResources == null ? RedisClient.create() : RedisClient.create(clientResources);
            client.setOptions(ClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .socketOptions(socket).timeoutOptions(timeouts).build());
            try {
                var connection = client.connect(uris.get(0));
                return new RedisRateLimiter(this, connection.async(), client, connection, ownedTimer);
            } catch (RuntimeException e) {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
                throw unavailable(e);
            }
        }

        /** Lettuce's connection failures become ours (their message names the address, never a password). */
        private RuntimeException unavailable(RuntimeException e) {
            if (e instanceof RedisException) {
                return new RedisUnavailableException(name, "rate limiter '" + name + "': cannot connect to Redis: "
                        + e.getMessage(), e);
            }
            return e;
        }
    }
}
