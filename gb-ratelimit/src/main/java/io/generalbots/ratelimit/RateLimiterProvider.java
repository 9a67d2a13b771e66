package io.generalbots.ratelimit;

import io.generalbots.scaling.Ticker;

/**
 * A rate-limit backend of your own (Hazelcast, a database, a vendor's service), chosen in
 * {@code config.csv} by its name ({@code rate-limit-backend,NAME}) and found with
 * {@link java.util.ServiceLoader} through {@link io.generalbots.scaling.Plugins}: list the class in
 * {@code META-INF/services/io.generalbots.ratelimit.RateLimiterProvider} (it needs a public
 * no-argument constructor). {@link RateLimiters#of(RateLimitSettings, String, Ticker)} then builds
 * the limiter with it, and everything that takes a {@link RateLimiter} ({@link RateLimitGate},
 * {@link RateLimitFilter}, the servlet and Spring filters) uses it.
 *
 * <p>The plug-in point is a whole limiter rather than a key-value store under ours: both built-in
 * backends decide a request with one atomic step over two buckets (lock-free in process, one Lua
 * script on Redis), which a get/put store cannot give. A backend that can do an atomic update (a
 * Hazelcast entry processor, a SQL {@code UPDATE … RETURNING}) implements {@link RateLimiter} with
 * the same semantics: per client key, a bucket of capacity {@code requests + burst} refilled at
 * {@code requests / window}, and one of {@code N} refilled at {@code N / window} per configured
 * endpoint, checked together so that a request denied by one consumes nothing from the other
 * ({@link RateLimitSettings#toConfig()} gives the limits); decisions are made with
 * {@link RateLimitDecision#allowed} and {@link RateLimitDecision#denied}. While its store fails,
 * it answers as {@link RateLimitSettings#failureMode()} says rather than throwing.
 */
public interface RateLimiterProvider {

    /**
     * The backend's name in {@code config.csv}: lower case letters, digits and {@code -}, and not
     * one of the built-in {@code local}, {@code redis} (those win).
     *
     * @return the name
     */
    String name();

    /**
     * A new limiter; called once per {@link RateLimiters#of(RateLimitSettings, String, Ticker)}, never
     * for {@code rate-limit-enabled,false} (that is {@link RateLimiter#disabled()}).
     *
     * @param settings the settings ({@link RateLimitSettings#backend()} is this provider's name)
     * @param name     the limiter's name (for keys in a shared store, logs and meters)
     * @param ticker   the time source the limiter should use, so that tests can drive it
     * @return the limiter; closed by the host with {@link RateLimiter#close()}
     */
    RateLimiter limiter(RateLimitSettings settings, String name, Ticker ticker);
}
