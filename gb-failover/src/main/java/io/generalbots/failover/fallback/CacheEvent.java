package io.generalbots.failover.fallback;

import java.util.Objects;

/**
 * What happened to a {@link ResilientCache}, for its listeners ({@link ResilientCache#addListener}):
 * it switched to its in-process fallback, or back to Redis. Every event names the cache (its
 * breaker's name); the records are the cases (Java 17: tell them apart with {@code instanceof}).
 */
public sealed interface CacheEvent {

    /**
     * The cache's name (its breaker's).
     *
     * @return the name
     */
    String cache();

    /**
     * Redis failed (or its breaker is open) and the in-process cache serves from now on; logged
     * at WARN at the same time. Told once per outage, by the call that met the failure.
     *
     * @param cache the cache's name
     * @param cause the failure that started the fallback ({@link io.generalbots.failover.breaker.BreakerOpenException}
     *              when the breaker was already open)
     */
    record FallbackStarted(String cache, Throwable cause) implements CacheEvent {
        /**
         * Creates the event.
         *
         * @param cache the cache's name
         * @param cause the failure
         */
        public FallbackStarted {
            Objects.requireNonNull(cache, "cache");
            Objects.requireNonNull(cause, "cause");
        }
    }

    /**
     * Redis answered again: it serves from now on and the in-process entries were dropped; logged
     * at INFO at the same time.
     *
     * @param cache the cache's name
     */
    record Recovered(String cache) implements CacheEvent {
        /**
         * Creates the event.
         *
         * @param cache the cache's name
         */
        public Recovered {
            Objects.requireNonNull(cache, "cache");
        }
    }
}
