package io.generalbots.spring;

import io.generalbots.ratelimit.RateLimitMetrics;
import io.generalbots.ratelimit.RateLimiter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Binds the limiter's meters the Boot way: as a {@link MeterBinder} bean, which Boot binds once the
 * registry is fully configured. (Registering them earlier — the rate-limit filter is created with the
 * servlet context, before the registry's filters are in place — leaves the counters outside the
 * registry.) The limiter counts its own decisions once bound, so nothing wraps it in the request path.
 */
final class RateLimitMeters implements MeterBinder {

    private final RateLimiter limiter;

    RateLimitMeters(RateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        RateLimitMetrics.of(limiter).bindTo(registry);
    }

    /**
     * The limiter to decide with (the same limiter, counted once bound).
     *
     * @return the limiter
     */
    RateLimiter limiter() {
        return limiter;
    }
}
