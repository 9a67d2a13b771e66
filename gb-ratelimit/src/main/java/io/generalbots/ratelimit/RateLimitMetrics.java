package io.generalbots.ratelimit;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Micrometer meters of a limiter (micrometer-core is an optional dependency: this class is loaded
 * only when you call it).
 *
 * <ul>
 *   <li>{@code gb.ratelimit.decisions} (counter) tagged {@code limiter}, {@code outcome}
 *       ({@code allowed}/{@code denied}), {@code policy} ({@code global}, an endpoint, or
 *       {@code none}) and {@code source} ({@code local}, {@code redis}, {@code fallback_local},
 *       {@code fail_open}, {@code fail_closed}, {@code disabled});</li>
 *   <li>for a {@link RedisRateLimiter}: {@code gb.ratelimit.fallback.active} (gauge, 1 while the
 *       failure mode answers) and {@code gb.ratelimit.fallback.switches} (counter, tagged
 *       {@code to} = {@code fallback} or {@code redis}).</li>
 * </ul>
 */
public final class RateLimitMetrics {

    private RateLimitMetrics() {
    }

    /**
     * Wraps a limiter so that its decisions are counted.
     *
     * @param limiter  the limiter
     * @param name     the {@code limiter} tag
     * @param registry the registry
     * @return the counting limiter
     */
    public static RateLimiter instrument(RateLimiter limiter, String name, MeterRegistry registry) {
        if (limiter instanceof RedisRateLimiter redis) {
            Gauge.builder("gb.ratelimit.fallback.active", redis, r -> r.isFallbackActive() ? 1 : 0)
                    .tag("limiter", name).description("1 while Redis fails and the failure mode answers")
                    .register(registry);
            Counter toFallback = Counter.builder("gb.ratelimit.fallback.switches").tag("limiter", name)
                    .tag("to", "fallback").register(registry);
            Counter toRedis = Counter.builder("gb.ratelimit.fallback.switches").tag("limiter", name)
                    .tag("to", "redis").register(registry);
            redis.addListener(event -> {
                if (event instanceof RateLimiterEvent.FallbackStarted) {
                    toFallback.increment();
                } else if (event instanceof RateLimiterEvent.Recovered) {
                    toRedis.increment();
                }
            });
        }
        return new Metered(limiter, name, registry);
    }

    /** Counts decisions; counters are created up front, so counting allocates nothing. */
    private static final class Metered implements RateLimiter {
        private final RateLimiter delegate;
        private final Map<String, Integer> policies = new HashMap<>();
        /** [source][policy][outcome]. */
        private final Counter[][][] counters;

        Metered(RateLimiter delegate, String name, MeterRegistry registry) {
            this.delegate = delegate;
            List<String> names = new java.util.ArrayList<>(List.of("none", RateLimitConfig.GLOBAL));
            if (delegate.config() != null) {
                names.addAll(delegate.config().endpoints().keySet());
            }
            RateLimitDecision.Source[] sources = RateLimitDecision.Source.values();
            counters = new Counter[sources.length][names.size()][2];
            for (int p = 0; p < names.size(); p++) {
                policies.put(names.get(p), p);
                for (RateLimitDecision.Source s : sources) {
                    for (int o = 0; o < 2; o++) {
                        counters[s.ordinal()][p][o] = Counter.builder("gb.ratelimit.decisions")
                                .description("Rate-limit decisions")
                                .tag("limiter", name).tag("outcome", o == 1 ? "allowed" : "denied")
                                .tag("policy", names.get(p)).tag("source", s.name().toLowerCase(Locale.ROOT))
                                .register(registry);
                    }
                }
            }
        }

        private RateLimitDecision count(RateLimitDecision d) {
            Integer p = d.policy() == null ? Integer.valueOf(0) : policies.getOrDefault(d.policy(), 0);
            counters[d.source().ordinal()][p][d.allowed() ? 1 : 0].increment();
            return d;
        }

        @Override
        public RateLimitDecision decide(String key, String endpoint) {
            return count(delegate.decide(key, endpoint));
        }

        @Override
        public CompletionStage<RateLimitDecision> decideAsync(String key, String endpoint) {
            return delegate.decideAsync(key, endpoint).thenApply(this::count);
        }

        @Override
        public RateLimitConfig config() {
            return delegate.config();
        }

        @Override
        public String endpointOf(String path) {
            return delegate.endpointOf(path);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
