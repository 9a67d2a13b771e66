package io.generalbots.spring;

import java.util.concurrent.CompletionStage;

import io.generalbots.ratelimit.RateLimitConfig;
import io.generalbots.ratelimit.RateLimitDecision;
import io.generalbots.ratelimit.RateLimitMetrics;
import io.generalbots.ratelimit.RateLimiter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Binds the limiter's meters the Boot way: as a {@link MeterBinder} bean, which Boot binds once the
 * registry is fully configured. (Registering them earlier — the rate-limit filter is created with the
 * servlet context, before the registry's filters are in place — leaves the counters outside the
 * registry.) Until bound, decisions go to the plain limiter.
 */
final class RateLimitMeters implements MeterBinder {

    private final RateLimiter limiter;
    private final String name;
    private final Late late = new Late();
    private volatile RateLimiter current;

    RateLimitMeters(RateLimiter limiter, String name) {
        this.limiter = limiter;
        this.name = name;
        this.current = limiter;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        // the limiter counts its own decisions once bound: no wrapper in the request path
        RateLimitMetrics.of(limiter).bindTo(registry);
    }

    /**
     * The limiter to decide with: counted once bound.
     *
     * @return the limiter
     */
    RateLimiter limiter() {
        return late;
    }

    /** Decides with the plain limiter until bound, then with the counting one. */
    private final class Late implements RateLimiter {

        @Override
        public RateLimitDecision decide(String key, String endpoint) {
            return current.decide(key, endpoint);
        }

        @Override
        public boolean tryAcquire(String key, String endpoint) {
            return current.tryAcquire(key, endpoint);
        }

        @Override
        public CompletionStage<RateLimitDecision> decideAsync(String key, String endpoint) {
            return current.decideAsync(key, endpoint);
        }

        @Override
        public RateLimitConfig config() {
            return limiter.config();
        }

        @Override
        public String endpointOf(String path) {
            return limiter.endpointOf(path);
        }

        @Override
        public void close() {
            // the limiter is a bean of its own and closed as one
        }
    }
}
