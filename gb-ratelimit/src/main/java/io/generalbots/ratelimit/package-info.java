/**
 * Keyed rate limiting (global, per endpoint, burst) with local and Redis backends, fail-open fallback, client keys behind trusted proxies, and RateLimit headers.
 */
package io.generalbots.ratelimit;
