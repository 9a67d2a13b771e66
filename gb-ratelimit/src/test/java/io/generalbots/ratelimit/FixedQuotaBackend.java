package io.generalbots.ratelimit;

import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.Mockito.mock;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.generalbots.scaling.Ticker;

/**
 * A backend of a test's own, found by ServiceLoader: each client key gets
 * {@code rate-limit-requests} requests in all, then is denied for a window. Its limiter is a
 * Mockito mock delegating to the real one, so that tests verify how the library calls a plug-in.
 */
public final class FixedQuotaBackend implements RateLimiterProvider {

    static volatile RateLimitSettings lastSettings;
    static volatile String lastName;
    static volatile Ticker lastTicker;

    @Override
    public String name() {
        return "fixed-quota";
    }

    @Override
    public RateLimiter limiter(RateLimitSettings settings, String name, Ticker ticker) {
        lastSettings = settings;
        lastName = name;
        lastTicker = ticker;
        return mock(RateLimiter.class, delegatesTo(new Limiter(settings)));
    }

    /** The real limiter. */
    public static final class Limiter implements RateLimiter {
        private final RateLimitConfig config;
        private final long quota;
        private final long windowMicros;
        private final Map<String, AtomicLong> used = new ConcurrentHashMap<>();

        Limiter(RateLimitSettings settings) {
            this.config = settings.toConfig();
            this.quota = settings.requests();
            this.windowMicros = settings.window().toNanos() / 1000;
        }

        @Override
        public RateLimitDecision decide(String key, String endpoint) {
            long n = used.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
            return n <= quota ? RateLimitDecision.allowed(RateLimitConfig.GLOBAL, quota, quota, windowMicros, quota - n, 0)
                    : RateLimitDecision.denied(RateLimitConfig.GLOBAL, quota, quota, windowMicros, windowMicros);
        }

        @Override
        public RateLimitConfig config() {
            return config;
        }
    }
}
