package io.generalbots.failover.health;

import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigReader;
import io.generalbots.scaling.health.HealthSettings;

/**
 * What the health aggregator reads from {@code config.csv}: the seed's five {@code health-*}
 * keys (declared in gb-scaling-core, {@link HealthSettings}) and {@code health-critical-checks}.
 *
 * @param health         the seed's health settings
 * @param criticalChecks names of the checks whose failure makes the instance unhealthy
 */
public record HealthAggregatorSettings(HealthSettings health, Set<String> criticalChecks, boolean criticalChecksGiven) {

    /**
     * Creates settings.
     *
     * @param health              the seed's settings
     * @param criticalChecks      critical check names
     * @param criticalChecksGiven whether they were given ({@code health-critical-checks} set), so
     *                            that each must name a check; the default {@code database} need not
     */
    public HealthAggregatorSettings {
        Objects.requireNonNull(health, "health");
        criticalChecks = Set.copyOf(criticalChecks);
    }

    /**
     * Creates settings whose critical check names were given, so each must name a check.
     *
     * @param health         the seed's settings
     * @param criticalChecks critical check names
     */
    public HealthAggregatorSettings(HealthSettings health, Set<String> criticalChecks) {
        this(health, criticalChecks, true);
    }

    /**
     * The settings of a file.
     *
     * @param config the configuration
     * @return the settings
     * @throws io.generalbots.scaling.config.ConfigException listing every bad value
     */
    public static HealthAggregatorSettings from(BotConfig config) {
        ConfigReader reader = config.reader();
        HealthAggregatorSettings settings = read(reader);
        reader.throwIfInvalid();
        return settings;
    }

    /**
     * Reads the settings, recording problems in the reader.
     *
     * @param r the reader
     * @return the settings
     */
    public static HealthAggregatorSettings read(ConfigReader r) {
        HealthSettings health = HealthSettings.read(r);
        List<String> critical = r.getList("health-critical-checks");
        return new HealthAggregatorSettings(health, Set.copyOf(critical), r.isSet("health-critical-checks"));
    }
}
