/**
 * Keyed rate limiting (global, per endpoint, burst) with local and Redis backends, a failure
 * policy for Redis outages, client keys behind trusted proxies, and RateLimit headers.
 *
 * <p>Entry points: {@link io.generalbots.ratelimit.RateLimiters#of} (from {@code config.csv}
 * settings), {@link io.generalbots.ratelimit.LocalRateLimiter},
 * {@link io.generalbots.ratelimit.RedisRateLimiter}, {@link io.generalbots.ratelimit.RateLimiter#disabled()};
 * for HTTP, {@link io.generalbots.ratelimit.RateLimitGate} (any framework) and
 * {@link io.generalbots.ratelimit.RateLimitFilter} (JDK HttpServer); meters through
 * {@link io.generalbots.ratelimit.RateLimitMetrics}.
 */
package io.generalbots.ratelimit;
