package io.generalbots.scaling.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigException;

class HealthSettingsTest {

    @Test
    void aHealthEndpointWithBracesIsRefusedBecauseCaddyWouldExpandIt() {
        for (String bad : new String[] {"/api/{$ADMIN_TOKEN}", "/{env.HOME}", "/a}b"}) {
            assertThatThrownBy(() -> HealthSettings.from(BotConfig.parse("config.csv", "health-endpoint," + bad + "\n")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("config.csv:1: health-endpoint must be a path without { or } (Caddy expands {...}"
                            + " placeholders such as {$VAR} in the Caddyfile it is rendered into), but was \"" + bad + "\"");
        }
        // the older rule keeps its message
        assertThatThrownBy(() -> HealthSettings.from(BotConfig.parse("config.csv", "health-endpoint,api/{x}\n")))
                .hasMessage("config.csv:1: health-endpoint must be a path starting with /, but was \"api/{x}\"");
        assertThat(HealthSettings.from(BotConfig.parse("config.csv", "health-endpoint,/healthz\n")).endpoint())
                .isEqualTo("/healthz");
    }
}
