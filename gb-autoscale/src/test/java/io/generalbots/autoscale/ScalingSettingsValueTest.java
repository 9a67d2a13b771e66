package io.generalbots.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.generalbots.scaling.config.BotConfig;

/** ScalingSettings is a value: equal by content, changed through a builder. */
class ScalingSettingsValueTest {

    @Test
    void equalByContentAndTheBuilderChangesOnlyWhatItIsTold() {
        ScalingSettings a = ScalingSettings.from(BotConfig.parse("config.csv",
                "scale-max-instances,4\nscale-rule-cpu-low,20\n"));
        ScalingSettings same = ScalingSettings.from(BotConfig.parse("config.csv",
                "scale-rule-cpu-low,20\nscale-max-instances,4\n"));
        assertThat(a).isEqualTo(same).hasSameHashCodeAs(same);
        ScalingSettings on = a.withEnabled(true);
        assertThat(on).isEqualTo(a.toBuilder().enabled(true).build()).isNotEqualTo(a);
        assertThat(on.maxInstances()).isEqualTo(4);
        assertThat(on.rules()).isEqualTo(a.rules()).hasSize(1);
        ScalingSettings quick = a.toBuilder().cooldown(Duration.ofSeconds(5)).build();
        assertThat(quick.cooldown()).isEqualTo(Duration.ofSeconds(5));
        assertThat(quick.toBuilder().cooldown(a.cooldown()).build()).isEqualTo(a);
        assertThat(ScalingSettings.custom().build()).isEqualTo(ScalingSettings.ofDefaults());
        assertThat(a.toString()).startsWith("ScalingSettings[enabled=false, minInstances=1, maxInstances=4, ")
                .endsWith(", drainTimeout=PT30S, instanceManager=lxc]");
    }
}
