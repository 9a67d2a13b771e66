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

    // ------------------------------------------------------------------ a shaded jar lost the service files

    /** The registry of a fat jar that kept only core's service file: the failover provider was not merged. */
    private static ConfigKeyRegistry shadedWithoutTransformer() {
        return ConfigKeyRegistry.withUnregistered(List.of(new io.generalbots.scaling.CoreConfigKeys()),
                List.of("io.generalbots.scaling.CoreConfigKeys", UnmergedProviderKeys.class.getName(),
                        "io.generalbots.nothere.NotLinkedInKeys"),
                ConfigKeyRegistryTest.class.getClassLoader());
    }

    @Test
    void aProviderOnTheClassPathButInNoServiceFileIsFoundAndNamed() {
        ConfigKeyRegistry registry = shadedWithoutTransformer();
        assertThat(registry.unregisteredProviders()).containsExactly(UnmergedProviderKeys.class.getName());
        assertThat(ConfigKeyRegistry.withUnregistered(List.of(new io.generalbots.scaling.CoreConfigKeys()),
                ConfigKeyRegistry.OWN_PROVIDERS, getClass().getClassLoader()).unregisteredProviders())
                .as("modules not linked in are not missing").isEmpty();
        assertThat(ConfigKeyRegistry.fromClasspath().unregisteredProviders()).isEmpty();
    }

    @Test
    void readingAKeyOfAnUnmergedProviderSaysWhatHappenedAndHowToFixIt() {
        assertThatThrownBy(() -> shadedWithoutTransformer().require("circuit-breaker-enabled"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("key circuit-breaker-enabled is read but no registered ConfigKeyProvider declares it: "
                        + "io.generalbots.scaling.config.UnmergedProviderKeys declares it, but no "
                        + "META-INF/services/io.generalbots.scaling.config.ConfigKeyProvider lists "
                        + "io.generalbots.scaling.config.UnmergedProviderKeys; if this is a shaded (fat) jar, its "
                        + "META-INF/services/io.generalbots.scaling.config.ConfigKeyProvider files were not merged: "
                        + "add maven-shade-plugin's ServicesResourceTransformer");
    }

    @Test
    void readingAKeyNoProviderOnTheClassPathHasGivesTheShadingHint() {
        assertThatThrownBy(() -> shadedWithoutTransformer().require("rate-limit-requests"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("key rate-limit-requests is read but no ConfigKeyProvider on the class path declares it; "
                        + "if this is a shaded (fat) jar, its "
                        + "META-INF/services/io.generalbots.scaling.config.ConfigKeyProvider files were not merged: "
                        + "add maven-shade-plugin's ServicesResourceTransformer");
    }

    @Test
    void aGoodKeyOfAnUnmergedProviderIsAnErrorWithTheHintNotAnUnknownKeyWarning() {
        BotConfig config = BotConfig.parse("config.csv", "circuit-breaker-enabled,false\ncircuit-breaker-treshold,3\n",
                shadedWithoutTransformer());
        assertThat(config.validate(false).problems()).extracting(ConfigProblem::toString).containsExactly(
                "config.csv:1: unknown key circuit-breaker-enabled: io.generalbots.scaling.config.UnmergedProviderKeys "
                        + "declares it, but no META-INF/services/io.generalbots.scaling.config.ConfigKeyProvider lists "
                        + "io.generalbots.scaling.config.UnmergedProviderKeys; if this is a shaded (fat) jar, its "
                        + "META-INF/services/io.generalbots.scaling.config.ConfigKeyProvider files were not merged: "
                        + "add maven-shade-plugin's ServicesResourceTransformer",
                "config.csv:2: warning: unknown key circuit-breaker-treshold");
        assertThatThrownBy(() -> config.validateOrThrow(false)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("add maven-shade-plugin's ServicesResourceTransformer");
    }
}
