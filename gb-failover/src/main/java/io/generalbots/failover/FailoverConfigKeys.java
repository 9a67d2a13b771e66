package io.generalbots.failover;

import java.util.Collection;
import java.util.List;

import io.generalbots.failover.breaker.CircuitBreakerSettings;
import io.generalbots.failover.fallback.FallbackSettings;
import io.generalbots.failover.health.HealthAggregatorSettings;
import io.generalbots.failover.redis.CacheSettings;
import io.generalbots.scaling.config.ConfigKey;
import io.generalbots.scaling.config.ConfigKeyProvider;
import io.generalbots.scaling.config.ConfigReader;

/**
 * The {@code config.csv} keys gb-failover owns: {@code circuit-breaker-*}, {@code fallback-*},
 * {@code cache-*} and the {@code health-*} keys beyond the seed's five (which gb-scaling-core
 * declares). The seed shows values but no defaults table; its example values are the defaults.
 * Found by {@link java.util.ServiceLoader}.
 */
public final class FailoverConfigKeys implements ConfigKeyProvider {

    /** Creates the provider (ServiceLoader needs a public constructor). */
    public FailoverConfigKeys() {
    }

    @Override
    public Collection<ConfigKey> keys() {
        return List.of(
                ConfigKey.of("circuit-breaker-enabled", "boolean", "true",
                        "Put calls to dependencies behind circuit breakers (false: calls pass straight through)"),
                ConfigKey.of("circuit-breaker-threshold", "integer 1..1000", "5",
                        "Consecutive failures that open a breaker"),
                ConfigKey.of("circuit-breaker-timeout", "duration", "30",
                        "Seconds a breaker stays open before letting trial calls through"),
                ConfigKey.of("circuit-breaker-half-open-requests", "integer 1..1000", "3",
                        "Trial calls in half-open; one success among them closes the breaker"),
                ConfigKey.optional("circuit-breaker-slow-call", "duration",
                        "Calls slower than this count as failures too (unset: slowness never opens a breaker)"),
                ConfigKey.of("fallback-llm-enabled", "boolean", "true", "Answer with the fallback LLM when the primary fails"),
                ConfigKey.of("fallback-llm-provider", "name", "local", "Provider that answers when the primary LLM fails"),
                ConfigKey.of("fallback-llm-model", "name", "DeepSeek-R3-Distill-Qwen-1.5B", "Model of the fallback provider"),
                ConfigKey.of("fallback-cache-enabled", "boolean", "true", "Use an in-process cache while Redis is down"),
                ConfigKey.of("fallback-cache-mode", "memory", "memory", "Kind of fallback cache (in-process, Caffeine)"),
                ConfigKey.of("fallback-cache-size", "integer 1..100000000", "10000", "Most entries of the in-process cache"),
                ConfigKey.of("fallback-cache-ttl", "duration", "300",
                        "Longest life of an in-process entry (bounds staleness during an outage)"),
                ConfigKey.of("fallback-vectordb-enabled", "boolean", "true",
                        "Answer knowledge searches with keyword search when the vector database fails"),
                ConfigKey.of("fallback-vectordb-mode", "keyword-search", "keyword-search", "Kind of search fallback"),
                ConfigKey.of("cache-mode", "standalone|cluster|sentinel", "standalone", "How Redis is deployed"),
                ConfigKey.of("cache-host", "HOST:PORT", "localhost:6379", "The Redis server in standalone mode"),
                ConfigKey.optional("cache-nodes", "list of HOST:PORT", "Seed nodes of a Redis Cluster (cluster mode)"),
                ConfigKey.of("cache-replicas", "integer 0..10", "0",
                        "Replicas per master; above 0 reads prefer replicas (cluster mode)"),
                ConfigKey.of("cache-sentinel-master", "name", "mymaster", "Master name the sentinels watch (sentinel mode)"),
                ConfigKey.optional("cache-sentinel-nodes", "list of HOST:PORT", "The sentinels (sentinel mode)"),
                ConfigKey.optional("cache-password", "text", "Redis password (AUTH)"),
                ConfigKey.of("cache-timeout", "duration", "2", "Seconds a Redis command may take before it fails"),
                ConfigKey.of("cache-topology-refresh", "duration", "30",
                        "Seconds between periodic cluster topology refreshes (cluster mode)"),
                ConfigKey.of("cache-request-queue", "integer 1..1000000", "10000",
                        "Most commands queued on one Redis connection before new ones are rejected"),
                ConfigKey.of("health-critical-checks", "list of check names", "database",
                        "Checks whose failure makes the instance unhealthy (503); others only degrade it"));
    }

    @Override
    public void validate(ConfigReader reader) {
        CircuitBreakerSettings.read(reader);
        FallbackSettings.read(reader);
        CacheSettings.read(reader);
        HealthAggregatorSettings.read(reader);
    }
}
