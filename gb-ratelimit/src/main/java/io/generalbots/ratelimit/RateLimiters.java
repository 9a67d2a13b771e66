package io.generalbots.ratelimit;

import io.generalbots.scaling.Ticker;

/**
 * Creates the limiter a {@code config.csv} asks for: {@code RateLimiters.of(RateLimitSettings.from(config))}.
 */
public final class RateLimiters {

    private RateLimiters() {
    }

    /**
     * The limiter of these settings, named {@code gbrl}, on the system clock:
     * {@link RateLimiter#disabled()} for {@code rate-limit-enabled,false}, a {@link RedisRateLimiter}
     * when {@code rate-limit-redis} is set, else a {@link LocalRateLimiter}.
     *
     * @param settings the settings, e.g. {@code RateLimitSettings.from(config)}
     * @return the limiter
     */
    public static RateLimiter of(RateLimitSettings settings) {
        return of(settings, "gbrl", Ticker.system());
    }

    /**
     * The limiter of these settings.
     *
     * @param settings the settings
     * @param name     the limiter's name (Redis key prefix, logs, meters)
     * @param ticker   the time source of local state and the breaker
     * @return the limiter
     */
    public static RateLimiter of(RateLimitSettings settings, String name, Ticker ticker) {
        if (!settings.enabled()) {
            return RateLimiter.disabled();
        }
        if (settings.redisNodes().isEmpty()) {
            return LocalRateLimiter.custom(settings.toConfig()).name(name).ticker(ticker).maxKeys(settings.maxKeys()).build();
        }
        return RedisRateLimiter.custom(settings.toConfig()).name(name).ticker(ticker).maxKeys(settings.maxKeys())
                .nodes(settings.redisNodes(), settings.redisCluster())
                .timeout(settings.redisTimeout())
                .failureMode(settings.failureMode())
                .breaker(settings.breakerThreshold(), settings.breakerWait())
                .build();
    }
}
