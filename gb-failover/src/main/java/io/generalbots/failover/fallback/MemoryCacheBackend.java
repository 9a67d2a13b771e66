package io.generalbots.failover.fallback;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import io.generalbots.scaling.Checks;
import io.generalbots.scaling.Ticker;

/**
 * A bounded in-process cache on Caffeine: at most {@code maxEntries} entries, each living its own
 * TTL but never longer than {@code maxTtl} ({@code fallback-cache-size}, {@code fallback-cache-ttl}).
 */
public final class MemoryCacheBackend implements CacheBackend {

    private record Value(String value, long ttlNanos) {
    }

    private final Cache<String, Value> cache;
    private final long maxTtlNanos;

    /**
     * Creates the cache.
     *
     * @param maxEntries most entries, positive
     * @param maxTtl     longest life of an entry, positive
     * @param ticker     the time source
     */
    public MemoryCacheBackend(long maxEntries, Duration maxTtl, Ticker ticker) {
        Checks.requirePositive("maxEntries", maxEntries);
        this.maxTtlNanos = Checks.requirePositive("maxTtl", maxTtl).toNanos();
        Objects.requireNonNull(ticker, "ticker");
        this.cache = Caffeine.newBuilder().maximumSize(maxEntries).ticker(ticker::read)
                .expireAfter(new Expiry<String, Value>() {
                    @Override
                    public long expireAfterCreate(String key, Value value, long currentTime) {
                        return value.ttlNanos();
                    }

                    @Override
                    public long expireAfterUpdate(String key, Value value, long currentTime, long currentDuration) {
                        return value.ttlNanos();
                    }

                    @Override
                    public long expireAfterRead(String key, Value value, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                }).build();
    }

    @Override
    public Optional<String> get(String key) {
        Value v = cache.getIfPresent(key);
        return v == null ? Optional.empty() : Optional.of(v.value());
    }

    @Override
    public void put(String key, String value, Duration ttl) {
        Checks.requirePositive("ttl", ttl);
        cache.put(key, new Value(value, Math.min(ttl.toNanos(), maxTtlNanos)));
    }

    @Override
    public void delete(String key) {
        cache.invalidate(key);
    }

    /** Drops every entry. */
    public void clear() {
        cache.invalidateAll();
    }

    /**
     * The number of entries (approximate, as Caffeine's).
     *
     * @return the size
     */
    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }
}
