package io.generalbots.scaling.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collection;
import java.util.List;

import org.junit.jupiter.api.Test;

class ConfigKeyRegistryTest {

    @Test
    void classpathRegistryFindsTheCoreKeysThroughServiceLoader() {
        assertThat(ConfigKeyRegistry.fromClasspath().find("health-interval")).isPresent()
                .get().extracting(k -> k.defaultValue().orElseThrow()).isEqualTo("10");
    }

    @Test
    void suggestsTheClosestKeyForTyposAndSwaps() {
        ConfigKeyRegistry registry = TestKeys.registry();
        assertThat(registry.suggest("scale-cpu-treshold")).contains("scale-cpu-threshold");
        assertThat(registry.suggest("sacle-min-instances")).contains("scale-min-instances");
        assertThat(registry.suggest("rate-limt-api-chat")).contains("rate-limit-api-chat");
        assertThat(registry.suggest("shard-weather")).isEmpty();
    }

    @Test
    void twoModulesDeclaringOneKeyIsAnError() {
        ConfigKeyProvider a = () -> List.of(ConfigKey.of("shard-count", "int", "1", "a"));
        ConfigKeyProvider b = () -> List.of(ConfigKey.of("shard-count", "int", "2", "b"));
        assertThatThrownBy(() -> ConfigKeyRegistry.of(List.of(a, b))).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("key shard-count is declared twice");
    }

    @Test
    void aKeyWithoutOneOfOurPrefixesCannotBeDeclared() {
        ConfigKeyProvider bad = new ConfigKeyProvider() {
            @Override
            public Collection<ConfigKey> keys() {
                return List.of(ConfigKey.of("llm-model", "text", "x", "not ours"));
            }
        };
        assertThatThrownBy(() -> ConfigKeyRegistry.of(List.of(bad))).isInstanceOf(IllegalStateException.class)
                .hasMessageEndingWith("declares llm-model, which has none of the prefixes " + ConfigKeyRegistry.PREFIXES);
    }

    @Test
    void keyFamiliesHaveNoDefault() {
        assertThatThrownBy(() -> ConfigKey.of("rate-limit-api-*", "int", "5", "x"))
                .hasMessage("a key family has no default, but rate-limit-api-* has \"5\"");
    }
}
