package io.generalbots.scaling;

import java.util.Collection;
import java.util.List;

import io.generalbots.scaling.config.ConfigKey;
import io.generalbots.scaling.config.ConfigKeyProvider;
import io.generalbots.scaling.config.ConfigReader;
import io.generalbots.scaling.health.HealthSettings;

/**
 * The {@code config.csv} keys gb-scaling-core owns: the seed's five {@code health-*} keys, read
 * by every module that serves or runs health checks. Found by {@link java.util.ServiceLoader}.
 */
public final class CoreConfigKeys implements ConfigKeyProvider {

    /** Creates the provider (ServiceLoader needs a public constructor). */
    public CoreConfigKeys() {
    }

    @Override
    public Collection<ConfigKey> keys() {
        return List.of(
                ConfigKey.of("health-enabled", "boolean", "true", "Run health checks and serve the health report"),
                ConfigKey.of("health-endpoint", "path", "/api/health", "Path of the health report"),
                ConfigKey.of("health-interval", "duration", "10", "Seconds between health check runs"),
                ConfigKey.of("health-timeout", "duration", "5", "Seconds one health check may take"),
                ConfigKey.of("health-retries", "integer 0..100", "3",
                        "Extra attempts of a failing check before it counts as failed"));
    }

    @Override
    public void validate(ConfigReader reader) {
        HealthSettings.read(reader);
    }
}
