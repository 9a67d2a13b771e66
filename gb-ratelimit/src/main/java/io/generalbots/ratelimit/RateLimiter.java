package io.generalbots.ratelimit;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A keyed rate limiter: for a client key and an optional endpoint, decides whether one request may
 * go on, checking the global limit and the endpoint's limit together — a request denied by one
 * consumes nothing from the other.
 *
 * <p>Implementations: {@link LocalRateLimiter} (in-process, lock-free),
 * {@link RedisRateLimiter} (shared by all nodes, one round trip per decision, with a local
 * fallback) and {@link #disabled()}. All are thread-safe.
 */
public interface RateLimiter extends AutoCloseable {

    /**
     * Decides one request.
     *
     * @param key      the client key (see {@link ClientKeyResolver}); not null
     * @param endpoint an endpoint name with a limit of its own (e.g. {@code chat}), or null; a name
     *                 without a configured limit is checked against the global limit only
     * @return the decision
     */
    RateLimitDecision decide(String key, String endpoint);

    /**
     * Decides one request without building a decision (no allocation on the local backend).
     *
     * @param key      the client key
     * @param endpoint the endpoint name, or null
     * @return true if allowed
     */
    default boolean tryAcquire(String key, String endpoint) {
        return decide(key, endpoint).allowed();
    }

    /**
     * Decides one request without blocking the caller (the Redis backend answers when the reply
     * arrives or the timeout budget runs out; the local backends complete at once).
     *
     * @param key      the client key
     * @param endpoint the endpoint name, or null
     * @return the decision; never completes exceptionally
     */
    default CompletionStage<RateLimitDecision> decideAsync(String key, String endpoint) {
        return CompletableFuture.completedFuture(decide(key, endpoint));
    }

    /**
     * The limits, or null for {@link #disabled()}.
     *
     * @return the config
     */
    RateLimitConfig config();

    /**
     * The endpoint whose limit covers a request path: {@code NAME} for {@code /api/NAME} and
     * below (the longest configured name wins), null if none.
     *
     * @param path a request path, e.g. {@code /api/chat/send}
     * @return the endpoint name or null
     */
    default String endpointOf(String path) {
        return Endpoints.of(config(), path);
    }

    /** Releases connections and threads; the default does nothing. */
    @Override
    default void close() {
    }

    /**
     * A limiter that allows everything at no cost ({@code rate-limit-enabled,false}).
     *
     * @return the shared disabled limiter
     */
    static RateLimiter disabled() {
        return DisabledRateLimiter.INSTANCE;
    }
}
