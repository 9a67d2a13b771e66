package io.generalbots.ratelimit;

import io.generalbots.scaling.Ticker;
import io.generalbots.scaling.config.BotConfig;

/** Creates the limiter a {@code config.csv} asks for. */
public final class RateLimiters {

    private RateLimiters() {
    }

    /**
     * The limiter of a file: {@link RateLimiter#disabled()} for {@code rate-limit-enabled,false}, a
     * {@link RedisRateLimiter} when {@code rate-limit-redis} is set, else a {@link LocalRateLimiter}.
     *
     * @param config the configuration
     * @return the limiter
     * @throws io.generalbots.scaling.config.ConfigException if a value is bad
     */
    public static RateLimiter fromConfig(BotConfig config) {
        return create(RateLimitSettings.from(config), "gbrl", Ticker.system());
    }

    /**
     * The limiter of these settings.
     *
     * @param settings the settings
     * @param name     the limiter's name (Redis key prefix, logs, meters)
     * @param ticker   the time source of local state and the breaker
     * @return the limiter
     */
    public static RateLimiter create(RateLimitSettings settings, String name, Ticker ticker) {
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
