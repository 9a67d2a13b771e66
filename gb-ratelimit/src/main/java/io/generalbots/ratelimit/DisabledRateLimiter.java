package io.generalbots.ratelimit;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@code rate-limit-enabled,false}: one shared, stateless instance. */
final class DisabledRateLimiter implements RateLimiter {
    static final DisabledRateLimiter INSTANCE = new DisabledRateLimiter();
    private static final CompletionStage<RateLimitDecision> DONE =
            CompletableFuture.completedFuture(RateLimitDecision.allowAll());

    private DisabledRateLimiter() {
    }

    @Override
    public RateLimitDecision decide(String key, String endpoint) {
        return RateLimitDecision.allowAll();
    }

    @Override
    public boolean tryAcquire(String key, String endpoint) {
        return true;
    }

    @Override
    public CompletionStage<RateLimitDecision> decideAsync(String key, String endpoint) {
        return DONE;
    }

    @Override
    public RateLimitConfig config() {
        return null;
    }

    @Override
    public String endpointOf(String path) {
        return null;
    }

    @Override
    public String toString() {
        return "RateLimiter.disabled()";
    }
}
