package io.generalbots.autoscale;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigReader;

/**
 * Which scaling meters to publish ({@code metrics-*} of {@code config.csv}). The seed shows all
 * four set to {@code true} and gives no defaults; they default to {@code true} here because a
 * meter costs nothing until a Micrometer registry is bound.
 *
 * @param scalingEnabled   {@code metrics-scaling-enabled}: the master switch
 * @param containerCount   {@code metrics-container-count}: a gauge of running instances
 * @param scalingEvents    {@code metrics-scaling-events}: counters of scaling events and errors
 * @param loadDistribution {@code metrics-load-distribution}: per-instance load gauges
 */
public record MetricsSettings(boolean scalingEnabled, boolean containerCount, boolean scalingEvents,
                              boolean loadDistribution) {

    /**
     * The settings of a file.
     *
     * @param config the configuration
     * @return the settings
     * @throws io.generalbots.scaling.config.ConfigException if a value is bad
     */
    public static MetricsSettings from(BotConfig config) {
        ConfigReader reader = config.reader();
        MetricsSettings settings = read(reader);
        reader.throwIfInvalid();
        return settings;
    }

    /**
     * Reads the settings, recording problems in the reader.
     *
     * @param r the reader
     * @return the settings
     */
    public static MetricsSettings read(ConfigReader r) {
        boolean enabled = r.getBoolean("metrics-scaling-enabled");
        return new MetricsSettings(enabled,
                enabled && r.getBoolean("metrics-container-count"),
                enabled && r.getBoolean("metrics-scaling-events"),
                enabled && r.getBoolean("metrics-load-distribution"));
    }
}
