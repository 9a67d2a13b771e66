package io.generalbots.failover.fallback;

import java.time.Duration;
import java.util.Optional;

/** A string cache: Redis ({@link RedisCacheBackend}) or in-process ({@link MemoryCacheBackend}). */
public interface CacheBackend {

    /**
     * The value of a key.
     *
     * @param key the key
     * @return the value, or empty
     * @throws Exception when the backend fails
     */
    Optional<String> get(String key) throws Exception;

    /**
     * Stores a value.
     *
     * @param key   the key
     * @param value the value
     * @param ttl   how long it lives, positive
     * @throws Exception when the backend fails
     */
    void put(String key, String value, Duration ttl) throws Exception;

    /**
     * Removes a key.
     *
     * @param key the key
     * @throws Exception when the backend fails
     */
    void delete(String key) throws Exception;
}
