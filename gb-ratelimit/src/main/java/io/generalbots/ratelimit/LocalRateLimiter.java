package io.generalbots.ratelimit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.generalbots.scaling.Checks;
import io.generalbots.scaling.Ticker;

/**
 * The in-process backend: a GCRA state per client key, updated lock-free with compare-and-set,
 * in a Caffeine cache bounded by a maximum number of keys and an idle expiry a minute past the time
 * an idle client needs to be full again (so a forgotten key is indistinguishable from a new one, and
 * a flood of distinct keys cannot exhaust the heap: past the bound, the least useful keys are
 * evicted — a client evicted early gets a fresh, full bucket).
 *
 * <pre>{@code
 * LocalRateLimiter limiter = LocalRateLimiter.custom(RateLimitConfig.ofDefaults()).maxKeys(100_000).build();
 * if (!limiter.tryAcquire(clientIp, "chat")) { ... 429 ... }
 * }</pre>
 *
 * <p>Time comes from the {@link Ticker} in microseconds (the ticker's nanoseconds, floored).
 * {@link #tryAcquire} on a key already tracked allocates nothing.
 */
public final class LocalRateLimiter implements RateLimiter {

    private static final RateLimitDecision ALLOWED = RateLimitDecision.unlimited(true, 0, RateLimitDecision.Source.LOCAL);
    private static final RateLimitDecision DENIED = RateLimitDecision.unlimited(false, 0, RateLimitDecision.Source.LOCAL);

    private static final Duration IDLE_MARGIN = Duration.ofMinutes(1);

    private final String name;
    private final RateLimitConfig config;
    private final Ticker ticker;
    private final long epochNanos;
    private final long maxKeys;
    private final Cache<String, KeyState> states;
    private final Function<String, KeyState> factory;
    final DecisionRecorders recorders = new DecisionRecorders();

    private LocalRateLimiter(Builder b) {
        this.name = b.name;
        this.config = b.config;
        this.ticker = b.ticker;
        this.maxKeys = b.maxKeys;
        this.epochNanos = ticker.read();
        this.states = Caffeine.newBuilder()
                .maximumSize(maxKeys)
                .expireAfterAccess(idleExpiry(config))
                .ticker(ticker::read)
                .executor(b.executor)
                .build();
        int endpoints = config.endpointCount();
        this.factory = k -> new KeyState(endpoints);
    }

    /**
     * How long a key may stay idle before it is forgotten: the time its buckets need to be full
     * again plus a margin of one minute. The margin matters: Caffeine records access times as
     * each reader saw the clock, so under heavy preemption an entry's access time can lag; without
     * the margin a busy, non-full key could expire and come back full.
     *
     * @param config the limits
     * @return the idle expiry
     */
    static Duration idleExpiry(RateLimitConfig config) {
        return config.fullRefillTime().plus(IDLE_MARGIN);
    }

    /**
     * A builder for a limiter with these limits.
     *
     * @param config the limits
     * @return the builder
     */
    public static Builder custom(RateLimitConfig config) {
        return new Builder(config);
    }

    /**
     * A limiter with these limits, the system ticker and the default bound of 100,000 keys.
     *
     * @param config the limits
     * @return the limiter
     */
    public static LocalRateLimiter of(RateLimitConfig config) {
        return custom(config).build();
    }

    @Override
    public RateLimitDecision decide(String key, String endpoint) {
        return run(key, endpoint, true, RateLimitDecision.Source.LOCAL);
    }

    @Override
    public boolean tryAcquire(String key, String endpoint) {
        return run(key, endpoint, false, RateLimitDecision.Source.LOCAL).allowed();
    }

    /**
     * A decision for the Redis fallback. With {@code frozen}, a key {@linkplain #seed seeded} from
     * Redis is decided at the time of its last seed if that is earlier than now: what Redis last said
     * is left, minus what this limiter took since, and nothing refills in between (used while Redis
     * is presumed up but one reply is late, so a late reply never buys a refill Redis did not grant).
     */
    RateLimitDecision decide(String key, String endpoint, RateLimitDecision.Source source, boolean frozen) {
        return run(key, endpoint, true, source, frozen);
    }

    /**
     * Makes the state of {@code key} at least as full as Redis reported it (the Redis fallback's
     * view of a client Redis is limiting). {@code globalDiff} / {@code endDiff} are the script's
     * diffs, relative to Redis's now; {@code applied}: whether the script wrote them (the request was
     * allowed by every bucket), else they are would-be diffs one increment past the stored state.
     * The local state only moves forward (the later of its own and the seeded time), so a late or
     * reordered reply never refills it.
     */
    void seed(String key, Bucket global, long globalDiff, Bucket endpoint, long endDiff, boolean applied) {
        KeyState state = states.getIfPresent(key);
        if (state == null) {
            state = states.get(key, factory);
        }
        long nowMicros = (ticker.read() - epochNanos) / 1000;
        state.raiseGlobal(nowMicros * global.scale + globalDiff - (applied ? 0 : global.increment));
        if (endpoint != null) {
            state.raiseEndpoint(endpoint.index - 1, nowMicros * endpoint.scale + endDiff - (applied ? 0 : endpoint.increment));
        }
        state.seeded(nowMicros);
    }

    private RateLimitDecision run(String key, String endpoint, boolean build, RateLimitDecision.Source source) {
        return run(key, endpoint, build, source, false);
    }

    private RateLimitDecision run(String key, String endpoint, boolean build, RateLimitDecision.Source source,
                                  boolean frozen) {
        RateLimitDecision d = check(key, endpoint, build, source, frozen);
        recorders.decided(source, config.endpointBucket(endpoint), d.allowed());
        return d;
    }

    private RateLimitDecision check(String key, String endpoint, boolean build, RateLimitDecision.Source source,
                                    boolean frozen) {
        Objects.requireNonNull(key, "key");
        KeyState state = states.getIfPresent(key);
        if (state == null) {
            state = states.get(key, factory);
        }
        long nowMicros = (ticker.read() - epochNanos) / 1000;
        if (frozen) {
            nowMicros = Math.min(nowMicros, state.seededAt);
        }
        Bucket global = config.globalBucket();
        long globalNow = nowMicros * global.scale;
        Bucket endpointBucket = config.endpointBucket(endpoint);
        if (endpointBucket == null) {
            long diff = state.acquireGlobal(global, globalNow);
            return build ? RateLimitDecision.of(global, diff, source) : global.allows(diff) ? ALLOWED : DENIED;
        }
        int slot = endpointBucket.index - 1;
        long endNow = nowMicros * endpointBucket.scale;
        long endDiff = state.acquireEndpoint(slot, endpointBucket, endNow);
        long globalDiff;
        if (!endpointBucket.allows(endDiff)) {
            if (!build) {
                return DENIED;
            }
            globalDiff = global.diff((long) GLOBAL.getVolatile(state), globalNow);
        } else {
            globalDiff = state.acquireGlobal(global, globalNow);
            if (!global.allows(globalDiff)) {
                state.endpoints.addAndGet(slot, -endpointBucket.increment);
            }
        }
        if (!build) {
            return global.allows(globalDiff) ? ALLOWED : DENIED;
        }
        return RateLimitDecision.combine(global, globalDiff, endpointBucket, endDiff, source);
    }

    /**
     * The limits.
     *
     * @return the config
     */
    @Override
    public RateLimitConfig config() {
        return config;
    }

    /**
     * The limiter's name, as in logs and meters.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The most keys tracked at once.
     *
     * @return the bound
     */
    public long maxKeys() {
        return maxKeys;
    }

    /**
     * How many keys are tracked now (after pending evictions are done).
     *
     * @return the number of keys
     */
    public long trackedKeys() {
        states.cleanUp();
        return states.estimatedSize();
    }

    @Override
    public String toString() {
        return "LocalRateLimiter{" + name + ", " + config + ", maxKeys=" + maxKeys + "}";
    }

    private static final VarHandle GLOBAL;

    static {
        try {
            GLOBAL = MethodHandles.lookup().findVarHandle(KeyState.class, "global", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The GCRA states of one client: the global one and one per endpoint (states in units of the bucket). */
    static final class KeyState {
        @SuppressWarnings("unused") // accessed through the GLOBAL VarHandle
        private volatile long global;
        final AtomicLongArray endpoints;
        /** Local µs of the last {@link #seed} from Redis; {@code Long.MAX_VALUE} if never seeded. */
        private volatile long seededAt = Long.MAX_VALUE;

        KeyState(int endpointCount) {
            this.endpoints = endpointCount == 0 ? null : new AtomicLongArray(endpointCount);
        }

        /** Takes one unit if the bucket allows it; returns the would-be diff either way. */
        long acquireGlobal(Bucket bucket, long now) {
            while (true) {
                long tat = (long) GLOBAL.getVolatile(this);
                long diff = bucket.diff(tat, now);
                if (!bucket.allows(diff) || GLOBAL.compareAndSet(this, tat, now + diff)) {
                    return diff;
                }
            }
        }

        void raiseGlobal(long tat) {
            long cur;
            do {
                cur = (long) GLOBAL.getVolatile(this);
            } while (cur < tat && !GLOBAL.compareAndSet(this, cur, tat));
        }

        void raiseEndpoint(int slot, long tat) {
            long cur;
            do {
                cur = endpoints.get(slot);
            } while (cur < tat && !endpoints.compareAndSet(slot, cur, tat));
        }

        /** Records a seed at {@code nowMicros} (the latest one wins; concurrent seeds race benignly). */
        void seeded(long nowMicros) {
            long cur = seededAt;
            if (cur == Long.MAX_VALUE || cur < nowMicros) {
                seededAt = nowMicros;
            }
        }

        long acquireEndpoint(int slot, Bucket bucket, long now) {
            while (true) {
                long tat = endpoints.get(slot);
                long diff = bucket.diff(tat, now);
                if (!bucket.allows(diff) || endpoints.compareAndSet(slot, tat, now + diff)) {
                    return diff;
                }
            }
        }
    }

    /** Builds a {@link LocalRateLimiter}. */
    public static final class Builder {
        private final RateLimitConfig config;
        private String name = "ratelimit";
        private Ticker ticker = Ticker.system();
        private long maxKeys = 100_000;
        private Executor executor = ForkJoinPool.commonPool();

        private Builder(RateLimitConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /**
         * Names the limiter in logs and meters (default {@code ratelimit}).
         *
         * @param name the name
         * @return this
         */
        public Builder name(String name) {
            Checks.require(name != null && !name.isBlank(), "name", "a non-blank text", name);
            this.name = name;
            return this;
        }

        /**
         * The time source (default {@link Ticker#system()}).
         *
         * @param ticker the ticker
         * @return this
         */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * The most client keys tracked at once (default 100,000).
         *
         * @param maxKeys from 1 to 1,000,000,000
         * @return this
         */
        public Builder maxKeys(long maxKeys) {
            this.maxKeys = Checks.requireRange("maxKeys", maxKeys, 1, 1_000_000_000);
            return this;
        }

        /**
         * Where the key store's maintenance (eviction, expiry) runs (default
         * {@link ForkJoinPool#commonPool()}, as Caffeine's; {@code Runnable::run} keeps it on the
         * deciding threads).
         *
         * @param executor the executor
         * @return this
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Builds the limiter.
         *
         * @return the limiter
         */
        public LocalRateLimiter build() {
            return new LocalRateLimiter(this);
        }
    }
}
