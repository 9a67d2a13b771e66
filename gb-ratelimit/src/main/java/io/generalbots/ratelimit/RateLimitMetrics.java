package io.generalbots.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer meters of a {@link LocalRateLimiter} or {@link RedisRateLimiter} (micrometer-core is an
 * optional dependency: this class is loaded only when you use it). Tag {@code limiter}: the
 * limiter's name.
 *
 * <pre>{@code RateLimitMetrics.of(limiter).bindTo(meterRegistry);}</pre>
 *
 * <ul>
 *   <li>{@value #DECISIONS} (counter), tags {@code outcome} ({@code allowed}, {@code denied}),
 *       {@code policy} (the endpoint limit the request fell under, e.g. {@code chat}, or
 *       {@code global} when only the global limit applies) and {@code source} ({@code local},
 *       {@code redis}, and for a Redis limiter the failure mode's {@code fallback_local},
 *       {@code fail_open} or {@code fail_closed}). Requests per second are
 *       {@code rate(gb_ratelimit_decisions_total[1m])} in PromQL: the limiter publishes counts, not
 *       rates;</li>
 *   <li>{@value #FALLBACK_ACTIVE} (gauge): 1 while a Redis limiter answers from its failure mode
 *       because Redis fails; always 0 for a local limiter (so one alert covers both);</li>
 *   <li>{@value #FALLBACK_SWITCHES} (counter, Redis only, tag {@code to} = {@code fallback} or
 *       {@code redis}): switches to the failure mode and back;</li>
 *   <li>{@value #REDIS_LATENCY} (timer, seconds, Redis only, tag {@code result} = {@code reply},
 *       {@code error}, or {@code timeout}: no reply within the failure timeout): each round trip of
 *       the decision script, a late reply included, with histogram buckets at 1 ms, 5 ms, a
 *       quarter, half and all of the limiter's time budget ({@code rate-limit-redis-timeout}) and
 *       at its failure timeout — the SLO is "answered within the budget"; a full percentile
 *       histogram with {@link #percentileHistogram(boolean)}.</li>
 * </ul>
 * Every tag takes values from a fixed set (the client key is never a tag): 1,000 clients or
 * 1,000,000 give the same meters. Counting adds an array read and a counter increment to a
 * decision; nothing is allocated. {@link RateLimiter#disabled()} and limiters of other types get no
 * meters.
 */
public final class RateLimitMetrics implements MeterBinder {

    /** Decisions counter. */
    public static final String DECISIONS = "gb.ratelimit.decisions";
    /** Gauge, 1 while the failure mode answers. */
    public static final String FALLBACK_ACTIVE = "gb.ratelimit.fallback.active";
    /** Counter of switches to and from the failure mode. */
    public static final String FALLBACK_SWITCHES = "gb.ratelimit.fallback.switches";
    /** Timer of Redis round trips. */
    public static final String REDIS_LATENCY = "gb.ratelimit.redis.latency";

    private static final String[] RESULTS = {"reply", "error", "timeout"};

    private final RateLimiter limiter;
    private boolean percentileHistogram;

    private RateLimitMetrics(RateLimiter limiter) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
    }

    /**
     * Meters for a limiter.
     *
     * @param limiter a {@link LocalRateLimiter} or {@link RedisRateLimiter} (others get none)
     * @return the binder
     */
    public static RateLimitMetrics of(RateLimiter limiter) {
        return new RateLimitMetrics(limiter);
    }

    /**
     * Whether the Redis latency timers publish a full percentile histogram (about 70 buckets per
     * result in Prometheus) besides the SLO buckets; default false.
     *
     * @param enabled whether to publish it
     * @return this
     */
    public RateLimitMetrics percentileHistogram(boolean enabled) {
        this.percentileHistogram = enabled;
        return this;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        if (limiter instanceof LocalRateLimiter local) {
            Gauge.builder(FALLBACK_ACTIVE, () -> 0).tag("limiter", local.name())
                    .description("1 while Redis fails and the failure mode answers").register(registry);
            local.recorders.add(new Recorder(registry, local.name(), local.config(),
                    List.of(RateLimitDecision.Source.LOCAL), null));
        } else if (limiter instanceof RedisRateLimiter redis) {
            bindRedis(registry, redis);
        }
    }

    private void bindRedis(MeterRegistry registry, RedisRateLimiter redis) {
        String name = redis.name();
        Gauge.builder(FALLBACK_ACTIVE, redis, r -> r.isFallbackActive() ? 1 : 0).tag("limiter", name)
                .description("1 while Redis fails and the failure mode answers").register(registry);
        Counter toFallback = Counter.builder(FALLBACK_SWITCHES).tag("limiter", name).tag("to", "fallback")
                .description("Switches to the failure mode (Redis failing) and back").register(registry);
        Counter toRedis = Counter.builder(FALLBACK_SWITCHES).tag("limiter", name).tag("to", "redis")
                .description("Switches to the failure mode (Redis failing) and back").register(registry);
        redis.addListener(event -> {
            if (event instanceof RateLimiterEvent.FallbackStarted) {
                toFallback.increment();
            } else if (event instanceof RateLimiterEvent.Recovered) {
                toRedis.increment();
            }
        });
        RateLimitDecision.Source failure = switch (redis.failureMode()) {
            case LOCAL -> RateLimitDecision.Source.FALLBACK_LOCAL;
            case OPEN -> RateLimitDecision.Source.FAIL_OPEN;
            case CLOSED -> RateLimitDecision.Source.FAIL_CLOSED;
        };
        Duration budget = redis.timeout();
        Timer[] latency = new Timer[RESULTS.length];
        for (int i = 0; i < RESULTS.length; i++) {
            latency[i] = Timer.builder(REDIS_LATENCY).tag("limiter", name).tag("result", RESULTS[i])
                    .description("Round trips of the rate-limit script to Redis")
                    .serviceLevelObjectives(slos(budget, redis.failureTimeout()))
                    .publishPercentileHistogram(percentileHistogram)
                    .register(registry);
        }
        redis.recorders.add(new Recorder(registry, name, redis.config(),
                List.of(RateLimitDecision.Source.REDIS, failure), latency));
    }

    private static Duration[] slos(Duration budget, Duration failure) {
        List<Duration> out = new ArrayList<>();
        for (Duration d : List.of(Duration.ofMillis(1), Duration.ofMillis(5), budget.dividedBy(4), budget.dividedBy(2),
                budget, failure)) {
            if (!d.isZero() && d.compareTo(failure) <= 0 && !out.contains(d)) {
                out.add(d);
            }
        }
        out.sort(null);
        return out.toArray(new Duration[0]);
    }

    /** Counts into counters registered up front: [source][policy][denied, allowed]. */
    private static final class Recorder implements DecisionRecorders.Recorder {
        private final Counter[][][] counters;
        private final Timer[] latency;

        Recorder(MeterRegistry registry, String limiter, RateLimitConfig config, List<RateLimitDecision.Source> sources,
                 Timer[] latency) {
            this.latency = latency;
            String[] policies = new String[config.endpointCount() + 1];
            policies[0] = RateLimitConfig.GLOBAL;
            for (String endpoint : config.endpoints().keySet()) {
                policies[config.endpointBucket(endpoint).index] = endpoint;
            }
            counters = new Counter[RateLimitDecision.Source.values().length][][];
            for (RateLimitDecision.Source s : sources) {
                Counter[][] bySource = new Counter[policies.length][2];
                for (int p = 0; p < policies.length; p++) {
                    for (int o = 0; o < 2; o++) {
                        bySource[p][o] = Counter.builder(DECISIONS).description("Rate-limit decisions")
                                .tag("limiter", limiter).tag("outcome", o == 1 ? "allowed" : "denied")
                                .tag("policy", policies[p]).tag("source", s.name().toLowerCase(Locale.ROOT))
                                .register(registry);
                    }
                }
                counters[s.ordinal()] = bySource;
            }
        }

        @Override
        public void decided(RateLimitDecision.Source source, Bucket endpoint, boolean allowed) {
            Counter[][] bySource = counters[source.ordinal()];
            if (bySource != null) {
                bySource[endpoint == null ? 0 : endpoint.index][allowed ? 1 : 0].increment();
            }
        }

        @Override
        public void redisCall(long nanos, int result) {
            if (latency != null) {
                latency[result].record(nanos, TimeUnit.NANOSECONDS);
            }
        }
    }
}
