package io.generalbots.spring;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigException;
import io.generalbots.scaling.config.ConfigProblem;

/**
 * Reads the bot's configuration the way the starter does: from the {@code config.csv} at
 * {@code gb.scaling.config}, or from the {@code gb.scaling.keys.*} properties, or the defaults.
 *
 * <p>Properties are fed to the same {@link BotConfig} reader as a file. When every key comes from
 * one properties or YAML file, problems name that file and the key's line in it
 * ({@code application.properties:7: rate-limit-requests must be ...}); otherwise (environment
 * variables, several sources) they carry line 0, which the failure analyzer shows as the property
 * name.
 */
public final class BotConfigs {

    /** The source name of settings that came from Spring properties without a file line. */
    public static final String PROPERTIES_SOURCE = "<code>";

    private BotConfigs() {
    }

    /**
     * Binds {@code gb.scaling} from an environment and reads the configuration (not validated).
     *
     * @param environment the environment
     * @param loader      resolves {@code classpath:} and other resource locations
     * @return the configuration
     * @throws ConfigException if the file cannot be read or both sources are set
     */
    public static BotConfig load(Environment environment, ResourceLoader loader) {
        GbScalingProperties properties = Binder.get(environment).bind("gb.scaling", GbScalingProperties.class)
                .orElseGet(GbScalingProperties::new);
        return load(properties, environment, loader);
    }

    /**
     * Reads the configuration the properties point at (not validated).
     *
     * @param properties  the bound properties
     * @param environment the environment (for the origins of {@code gb.scaling.keys.*})
     * @param loader      resolves resource locations
     * @return the configuration
     * @throws ConfigException if the file cannot be read or both sources are set
     */
    public static BotConfig load(GbScalingProperties properties, Environment environment, ResourceLoader loader) {
        String location = properties.getConfig();
        Map<String, String> keys = properties.getKeys();
        if (location != null && !location.isBlank() && !keys.isEmpty()) {
            throw new ConfigException(List.of(new ConfigProblem(ConfigProblem.Severity.ERROR, "gb.scaling", 0, null,
                    "gb.scaling.config and gb.scaling.keys.* are both set; set one of them")));
        }
        if (location != null && !location.isBlank()) {
            return fromLocation(location.trim(), loader);
        }
        if (!keys.isEmpty()) {
            return fromProperties(keys, environment);
        }
        return BotConfig.ofDefaults();
    }

    private static BotConfig fromLocation(String location, ResourceLoader loader) {
        if (!location.contains(":") || location.matches("[A-Za-z]:[\\\\/].*")) {
            return BotConfig.load(Path.of(location)); // a plain path, reported as given
        }
        Resource resource = loader.getResource(location);
        if (!resource.exists()) {
            throw problem(location, location + " does not exist");
        }
        try {
            if (resource.isFile()) {
                return BotConfig.load(resource.getFile().toPath());
            }
            try (InputStream in = resource.getInputStream()) {
                return BotConfig.parse(location, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw problem(location, location + " cannot be read: " + e.getMessage());
        }
    }

    private static ConfigException problem(String source, String message) {
        return new ConfigException(List.of(new ConfigProblem(ConfigProblem.Severity.ERROR, source, 0, null, message)));
    }

    private static BotConfig fromProperties(Map<String, String> keys, Environment environment) {
        String file = null;
        Map<Integer, String> lines = new TreeMap<>();
        boolean located = true;
        for (Map.Entry<String, String> e : keys.entrySet()) {
            TextResourceOrigin text = textOrigin(originOf(e.getKey(), environment));
            if (text == null || (file != null && !file.equals(text.getResource().getFilename()))
                    || lines.containsKey(text.getLocation().getLine() + 1)) {
                located = false;
                break;
            }
            file = text.getResource().getFilename();
            lines.put(text.getLocation().getLine() + 1, e.getKey() + "," + e.getValue());
        }
        if (!located || file == null) {
            return BotConfig.of(new LinkedHashMap<>(keys));
        }
        // one line of config.csv text per line of the properties file, so that problems carry its line numbers
        StringBuilder text = new StringBuilder();
        int line = 1;
        for (Map.Entry<Integer, String> l : lines.entrySet()) {
            while (line < l.getKey()) {
                text.append('\n');
                line++;
            }
            text.append(l.getValue());
        }
        return BotConfig.parse(file, text.toString());
    }

    /** The file and line an origin points at, through Boot's property-source wrappers; null if none. */
    private static TextResourceOrigin textOrigin(Origin origin) {
        Origin o = origin;
        for (int depth = 0; o != null && depth < 10; depth++) {
            if (o instanceof TextResourceOrigin t) {
                return t.getLocation() != null && t.getResource() != null && t.getResource().getFilename() != null
                        ? t : null;
            }
            o = o instanceof PropertySourceOrigin p && p.getOrigin() != null ? p.getOrigin() : o.getParent();
        }
        return null;
    }

    private static Origin originOf(String key, Environment environment) {
        List<ConfigurationPropertyName> names = new ArrayList<>();
        if (ConfigurationPropertyName.isValid("gb.scaling.keys." + key)) {
            names.add(ConfigurationPropertyName.of("gb.scaling.keys." + key));
        }
        if (ConfigurationPropertyName.isValid("gb.scaling.keys[" + key + "]")) {
            names.add(ConfigurationPropertyName.of("gb.scaling.keys[" + key + "]"));
        }
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            for (ConfigurationPropertyName name : names) {
                ConfigurationProperty property = source.getConfigurationProperty(name);
                if (property != null) {
                    return property.getOrigin();
                }
            }
        }
        return null;
    }
}
