package io.generalbots.ratelimit;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.generalbots.scaling.OptionalDependency;
import io.generalbots.scaling.Plugins;
import io.generalbots.scaling.Ticker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the limiter a {@code config.csv} asks for: {@code RateLimiters.of(RateLimitSettings.from(config))}.
 */
public final class RateLimiters {

    private static final Logger LOG = LoggerFactory.getLogger(RateLimiters.class);

    private RateLimiters() {
    }

    /**
     * The limiter of these settings, named {@code gbrl}, on the system clock: see
     * {@link #of(RateLimitSettings, String, Ticker)}.
     *
     * @param settings the settings, e.g. {@code RateLimitSettings.from(config)}
     * @return the limiter
     */
    public static RateLimiter of(RateLimitSettings settings) {
        return of(settings, "gbrl", Ticker.system());
    }

    /**
     * The limiter of these settings: {@link RateLimiter#disabled()} for
     * {@code rate-limit-enabled,false}; else the backend {@link RateLimitSettings#backend()} names
     * ({@code local}, {@code redis}, or a {@link RateLimiterProvider} found by name through
     * {@link Plugins}), by default a {@link RedisRateLimiter} when {@code rate-limit-redis} is set
     * and a {@link LocalRateLimiter} otherwise.
     *
     * @param settings the settings
     * @param name     the limiter's name (Redis key prefix, logs, meters)
     * @param ticker   the time source of local state and the breaker
     * @return the limiter
     * @throws IllegalStateException if the backend names a provider that is not on the class path,
     *         or with the redis backend but Lettuce not on the class path: {@code rate-limit-redis needs
     *         Lettuce on the class path: add io.lettuce:lettuce-core (managed by gb-dependencies)}
     */
    public static RateLimiter of(RateLimitSettings settings, String name, Ticker ticker) {
        if (!settings.enabled()) {
            LOG.info("rate limiter '{}' is disabled (rate-limit-enabled,false): every request is allowed", name);
            return RateLimiter.disabled();
        }
        String backend = settings.backend().map(b -> b.toLowerCase(Locale.ROOT))
                .orElse(settings.redisNodes().isEmpty() ? "local" : "redis");
        if (backend.equals("local")) {
            return LocalRateLimiter.custom(settings.toConfig()).name(name).ticker(ticker).maxKeys(settings.maxKeys()).build();
        }
        if (!backend.equals("redis")) {
            RateLimiterProvider provider = provider(backend).orElseThrow(() -> new IllegalStateException(
                    "rate-limit-backend " + backend + " names a RateLimiterProvider that is not on the class path"));
            RateLimiter limiter = provider.limiter(settings, name, ticker);
            if (limiter == null) {
                throw new IllegalStateException("RateLimiterProvider " + provider.name() + " returned no limiter");
            }
            return limiter;
        }
        // before RedisRateLimiter is loaded: without Lettuce that would be a NoClassDefFoundError
        OptionalDependency.LETTUCE.require("rate-limit-redis");
        return RedisRateLimiter.custom(settings.toConfig()).name(name).ticker(ticker).maxKeys(settings.maxKeys())
                .nodes(settings.redisNodes(), settings.redisCluster())
                .timeout(settings.redisTimeout())
                .failureMode(settings.failureMode())
                .breaker(settings.breakerThreshold(), settings.breakerWait())
                .build();
    }

    /**
     * The {@link RateLimiterProvider} of a name, from the class path.
     *
     * @param name the name, compared case-insensitively
     * @return the provider, if one has the name
     */
    static Optional<RateLimiterProvider> provider(String name) {
        return Plugins.find(RateLimiterProvider.class, RateLimiterProvider::name, name);
    }

    static List<String> providerNames() {
        return Plugins.names(RateLimiterProvider.class, RateLimiterProvider::name);
    }

    /**
     * What {@code rate-limit-backend} must be: {@code one of local, redis}, and, when there are
     * providers on the class path, {@code or a RateLimiterProvider: NAME, ...}.
     */
    static String backendExpectation(List<String> providers) {
        return "one of local, redis" + (providers.isEmpty() ? ""
                : " or a RateLimiterProvider: " + String.join(", ", providers));
    }
}
