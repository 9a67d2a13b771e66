package io.generalbots.failover.fallback;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.generalbots.failover.breaker.Breaker;
import io.generalbots.scaling.Checks;
import io.generalbots.scaling.Ticker;
import io.generalbots.scaling.event.EventListener;
import io.generalbots.scaling.event.EventPublisher;
import io.generalbots.scaling.health.HealthCheck;
import io.generalbots.scaling.health.HealthCheckResult;

/**
 * The cache facade of {@code fallback-cache-mode,memory}: Redis behind its breaker and, while
 * Redis is unavailable (a command fails or the breaker is open), an in-process bounded cache with
 * the same API. It goes back to Redis by itself: the breaker lets a trial call through after
 * {@code circuit-breaker-timeout}, and the first success switches back.
 *
 * <p>Choices: while Redis serves, nothing is written to memory (no double writes); on the way
 * back the in-process entries are dropped, because Redis may have newer values and the next
 * outage must not serve the last outage's data; writes made during an outage are not replayed
 * into Redis (it is a cache: a miss costs a recomputation, a stale overwrite costs correctness).
 * Without a fallback ({@code fallback-cache-enabled,false}) Redis' failures are thrown.
 *
 * <p><b>Events.</b> Each switch is logged, naming the cache, and published to the listeners
 * ({@link #addListener}): {@link CacheEvent.FallbackStarted} when memory starts serving,
 * {@link CacheEvent.Recovered} when Redis serves again. A listener that throws is logged and
 * skipped: the call that caused the event goes on.
 * Thread-safe.
 */
public final class ResilientCache {

    private static final Logger LOG = LoggerFactory.getLogger(ResilientCache.class);

    private final String name;
    private final CacheBackend redis;
    private final Breaker breaker;
    private final MemoryCacheBackend memory;
    private final AtomicBoolean onFallback = new AtomicBoolean();
    private final EventPublisher<CacheEvent> events;

    /**
     * Creates the facade.
     *
     * @param redis   the primary backend
     * @param breaker the primary's breaker (e.g. {@code breakers.breaker("cache")})
     * @param memory  the fallback, or null for none
     */
    public ResilientCache(CacheBackend redis, Breaker breaker, MemoryCacheBackend memory) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.breaker = Objects.requireNonNull(breaker, "breaker");
        this.memory = memory;
        this.name = breaker.name();
        this.events = EventPublisher.of("cache '" + name + "'");
    }

    /**
     * The facade as {@code fallback-cache-*} configures it.
     *
     * @param redis    the primary backend
     * @param breaker  the primary's breaker
     * @param settings the fallback settings
     * @param ticker   time for the in-process entries' expiry
     * @return the facade
     */
    public static ResilientCache of(CacheBackend redis, Breaker breaker, FallbackSettings settings, Ticker ticker) {
        return new ResilientCache(redis, breaker, settings.cacheEnabled()
                ? new MemoryCacheBackend(settings.cacheSize(), settings.cacheTtl(), ticker) : null);
    }

    /**
     * The value of a key.
     *
     * @param key the key
     * @return the value, or empty
     * @throws AllFailedException when Redis fails and there is no fallback
     */
    public Optional<String> get(String key) {
        try {
            Optional<String> v = breaker.call(() -> redis.get(key));
            recovered();
            return v;
        } catch (Exception e) {
            return fallback(e).get(key);
        }
    }

    /**
     * Stores a value for a time.
     *
     * @param key   the key
     * @param value the value
     * @param ttl   how long it lives
     * @throws AllFailedException when Redis fails and there is no fallback
     */
    public void put(String key, String value, Duration ttl) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Checks.requirePositive("ttl", ttl);
        try {
            breaker.call(() -> {
                redis.put(key, value, ttl);
                return null;
            });
            recovered();
        } catch (Exception e) {
            fallback(e).put(key, value, ttl);
        }
    }

    /**
     * Removes a key, from Redis and from memory.
     *
     * @param key the key
     * @throws AllFailedException when Redis fails and there is no fallback
     */
    public void delete(String key) {
        if (memory != null) {
            memory.delete(key);
        }
        try {
            breaker.call(() -> {
                redis.delete(key);
                return null;
            });
            recovered();
        } catch (Exception e) {
            fallback(e);
        }
    }

    /**
     * Whether the in-process cache serves now.
     *
     * @return true during a Redis outage
     */
    public boolean isOnFallback() {
        return onFallback.get();
    }

    /**
     * Adds a listener of the switches to and from the fallback ({@link CacheEvent}). Called once
     * per switch, on the thread whose call caused it; keep it short. A listener that throws is
     * logged and skipped.
     *
     * @param listener the listener
     */
    public void addListener(EventListener<? super CacheEvent> listener) {
        events.addListener(listener);
    }

    /**
     * Removes a listener.
     *
     * @param listener the listener
     * @return whether it was a listener
     */
    public boolean removeListener(EventListener<? super CacheEvent> listener) {
        return events.removeListener(listener);
    }

    /**
     * The cache's name: its breaker's.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * {@code ok} while Redis serves; degraded {@code fallback} while memory serves; down when
     * Redis fails without a fallback.
     *
     * @return the check
     */
    public HealthCheck healthCheck() {
        return () -> {
            if (onFallback.get()) {
                return new HealthCheckResult(HealthCheckResult.Status.DEGRADED, "fallback",
                        Map.of("answeredBy", "memory"));
            }
            return breaker.isCallPermitted() ? HealthCheckResult.up()
                    : memory == null ? HealthCheckResult.down("down") : HealthCheckResult.degraded("fallback");
        };
    }

    private void recovered() {
        if (onFallback.get() && onFallback.compareAndSet(true, false)) {
            memory.clear();
            LOG.info("cache '{}': Redis answers again; in-process entries dropped", name);
            events.publish(new CacheEvent.Recovered(name));
        }
    }

    private MemoryCacheBackend fallback(Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        if (memory == null) {
            AllFailedException all = new AllFailedException(name, name + ": Redis failed and fallback-cache-enabled is "
                    + "false: " + e);
            all.addSuppressed(e);
            throw all;
        }
        if (onFallback.compareAndSet(false, true)) {
            LOG.warn("cache '{}': Redis unavailable ({}); serving from the in-process cache", name, e.toString());
            events.publish(new CacheEvent.FallbackStarted(name, e));
        }
        return memory;
    }
}
