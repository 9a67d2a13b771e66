package io.generalbots.scaling.config;

import java.util.Collection;
import java.util.List;

/**
 * A provider that is on the test class path but listed in no service file: what a module's
 * provider is in a shaded jar built without ServicesResourceTransformer.
 */
public final class UnmergedProviderKeys implements ConfigKeyProvider {

    /** Creates the provider. */
    public UnmergedProviderKeys() {
    }

    @Override
    public Collection<ConfigKey> keys() {
        return List.of(ConfigKey.of("circuit-breaker-enabled", "boolean", "true", "breakers on"));
    }
}
