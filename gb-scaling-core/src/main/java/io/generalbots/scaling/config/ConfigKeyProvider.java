package io.generalbots.scaling.config;

import java.util.Collection;

/**
 * Service-provider interface through which each module declares the {@code config.csv} keys it
 * owns. Implementations are found with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/io.generalbots.scaling.config.ConfigKeyProvider}.
 */
public interface ConfigKeyProvider {

    /**
     * The keys this module owns, with their defaults.
     *
     * @return the declarations
     */
    Collection<ConfigKey> keys();

    /**
     * Reads this module's settings from the reader, so that their errors are reported together
     * with every other module's (as {@code gb-scale check} does). Implementations call their
     * settings' {@code read(ConfigReader)} and do not throw for bad values.
     *
     * @param reader the reader that collects problems
     */
    default void validate(ConfigReader reader) {
    }
}
