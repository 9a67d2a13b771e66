package io.generalbots.scaling.config;

import java.util.Collection;
import java.util.List;

/** Keys of a pretend module, for reader tests that must not depend on the real modules' keys. */
final class TestKeys implements ConfigKeyProvider {

    static ConfigKeyRegistry registry() {
        return ConfigKeyRegistry.of(List.of(new io.generalbots.scaling.CoreConfigKeys(), new TestKeys()));
    }

    static BotConfig parse(String text) {
        return BotConfig.parse("config.csv", text, registry());
    }

    @Override
    public Collection<ConfigKey> keys() {
        return List.of(
                ConfigKey.of("cache-nodes", "host:port list", "localhost:6379", "nodes"),
                ConfigKey.of("shard-ranges", "ranges", "0-:shard1", "ranges"),
                ConfigKey.of("shard-count", "integer 1..1024", "4", "count"),
                ConfigKey.of("shard-algorithm", "modulo|jump", "modulo", "algorithm"),
                ConfigKey.of("rate-limit-window", "duration", "60", "window"),
                ConfigKey.of("qdrant-ratio", "number", "0.5", "a decimal"),
                ConfigKey.optional("rate-limit-api-*", "integer", "per endpoint"),
                ConfigKey.of("scale-enabled", "boolean", "false", "enable"),
                ConfigKey.of("scale-min-instances", "integer 1..1000", "1", "minimum"),
                ConfigKey.of("scale-max-instances", "integer 1..1000", "10", "maximum"),
                ConfigKey.of("scale-cpu-threshold", "number 1..100", "70", "threshold"));
    }

    /** Reads its keys as a real module's provider does, so that whole-file validation reports them. */
    @Override
    public void validate(ConfigReader reader) {
        reader.getBoolean("scale-enabled");
        reader.getInt("scale-min-instances", 1, 1000);
        reader.getInt("scale-max-instances", 1, 1000);
        reader.getDouble("scale-cpu-threshold", 1, 100);
    }

    enum Algorithm { MODULO, JUMP }
}
