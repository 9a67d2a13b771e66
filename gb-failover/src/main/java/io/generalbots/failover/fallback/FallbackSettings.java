package io.generalbots.failover.fallback;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigReader;

/**
 * The graceful-degradation settings of {@code config.csv} ({@code fallback-*}). The seed shows
 * them all enabled; its values are the defaults. {@code fallback-cache-mode} knows only
 * {@code memory} and {@code fallback-vectordb-mode} only {@code keyword-search}: any other word is
 * an error rather than a silent "no fallback".
 *
 * @param llmEnabled      {@code fallback-llm-enabled}
 * @param llmProvider     {@code fallback-llm-provider}: the name of the provider that answers instead
 * @param llmModel        {@code fallback-llm-model}: the model asked of it
 * @param cacheEnabled    {@code fallback-cache-enabled}
 * @param cacheSize       {@code fallback-cache-size}: most entries in the in-process cache
 * @param cacheTtl        {@code fallback-cache-ttl}: longest life of an in-process entry
 * @param vectordbEnabled {@code fallback-vectordb-enabled}
 */
public record FallbackSettings(boolean llmEnabled, String llmProvider, String llmModel, boolean cacheEnabled,
                               long cacheSize, Duration cacheTtl, boolean vectordbEnabled) {

    /**
     * Creates settings.
     *
     * @param llmEnabled      LLM fallback on
     * @param llmProvider     fallback provider
     * @param llmModel        fallback model
     * @param cacheEnabled    cache fallback on
     * @param cacheSize       most in-process entries
     * @param cacheTtl        longest in-process life
     * @param vectordbEnabled search fallback on
     */
    public FallbackSettings {
        Objects.requireNonNull(llmProvider, "llmProvider");
        Objects.requireNonNull(llmModel, "llmModel");
        Objects.requireNonNull(cacheTtl, "cacheTtl");
    }

    /**
     * The settings of a file.
     *
     * @param config the configuration
     * @return the settings
     * @throws io.generalbots.scaling.config.ConfigException listing every bad value
     */
    public static FallbackSettings from(BotConfig config) {
        ConfigReader reader = config.reader();
        FallbackSettings settings = read(reader);
        reader.throwIfInvalid();
        return settings;
    }

    /**
     * Reads the settings, recording problems in the reader.
     *
     * @param r the reader
     * @return the settings
     */
    public static FallbackSettings read(ConfigReader r) {
        boolean llm = r.getBoolean("fallback-llm-enabled");
        String provider = r.getString("fallback-llm-provider");
        String model = r.getString("fallback-llm-model");
        boolean cache = r.getBoolean("fallback-cache-enabled");
        r.getChoice("fallback-cache-mode", Map.of("memory", "memory"));
        long size = r.getLong("fallback-cache-size", 1, 100_000_000);
        Duration ttl = r.getDuration("fallback-cache-ttl", Duration.ofSeconds(1), Duration.ofDays(1));
        boolean vectordb = r.getBoolean("fallback-vectordb-enabled");
        r.getChoice("fallback-vectordb-mode", Map.of("keyword-search", "keyword-search"));
        return new FallbackSettings(llm, provider, model, cache, size, ttl, vectordb);
    }
}
