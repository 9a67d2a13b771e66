package io.generalbots.autoscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigException;
import io.generalbots.scaling.health.HealthSettings;
import io.generalbots.autoscale.MetricsSettings;
import org.junit.jupiter.api.Test;

class ScalingSettingsTest {

    private static BotConfig config(String text) {
        return BotConfig.parse("config.csv", text);
    }

    @Test
    void defaultsAreTheSeedTable() {
        ScalingSettings s = ScalingSettings.ofDefaults();
        assertThat(s.enabled()).isFalse();
        assertThat(s.minInstances()).isEqualTo(1);
        assertThat(s.maxInstances()).isEqualTo(10);
        assertThat(s.cpuThreshold()).isEqualTo(70);
        assertThat(s.memoryThreshold()).isEqualTo(80);
        assertThat(s.requestThreshold()).isEqualTo(1000);
        assertThat(s.cooldown()).isEqualTo(Duration.ofSeconds(300));
        assertThat(s.checkInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.rules()).isEmpty();
    }

    @Test
    void seedRulesAreRead() {
        ScalingSettings s = ScalingSettings.from(config("scale-rule-response-time,2000\nscale-rule-response-action,up\n"
                + "scale-rule-cpu-low,30\nscale-rule-cpu-low-action,down\n"
                + "scale-rule-queue-depth,100\nscale-rule-queue-action,up\n"));
        assertThat(s.rules()).containsExactly(
                new ScalingRule(ScalingRule.Metric.RESPONSE_TIME, 2000, ScalingRule.Action.UP),
                new ScalingRule(ScalingRule.Metric.CPU_LOW, 30, ScalingRule.Action.DOWN),
                new ScalingRule(ScalingRule.Metric.QUEUE_DEPTH, 100, ScalingRule.Action.UP));
        assertThat(s.rules().get(1).firesAt(29.9)).isTrue();
        assertThat(s.rules().get(0).firesAt(2000)).isFalse();
    }

    @Test
    void regularActionSpellingIsAcceptedButNotBothSpellings() {
        ScalingSettings s = ScalingSettings.from(config("scale-rule-queue-depth,50\nscale-rule-queue-depth-action,down\n"));
        assertThat(s.rules()).containsExactly(new ScalingRule(ScalingRule.Metric.QUEUE_DEPTH, 50, ScalingRule.Action.DOWN));
        assertThatThrownBy(() -> ScalingSettings.from(config("scale-rule-queue-depth,50\nscale-rule-queue-action,up\n"
                + "scale-rule-queue-depth-action,down\n")))
                .hasMessage("config.csv:3: scale-rule-queue-depth-action and scale-rule-queue-action are the same "
                        + "setting; given on line 2 and on line 3");
    }

    @Test
    void badActionListsTheChoices() {
        assertThatThrownBy(() -> ScalingSettings.from(config("scale-rule-response-time,2000\n"
                + "scale-rule-response-action,sideways\n")))
                .hasMessageStartingWith("config.csv:2: scale-rule-response-action must be one of ")
                .hasMessageEndingWith(", but was \"sideways\"");
    }

    @Test
    void minAboveMaxIsAnErrorAtTheLineThatSetIt() {
        assertThatThrownBy(() -> ScalingSettings.from(config("scale-max-instances,3\nscale-min-instances,5\n")))
                .hasMessage("config.csv:2: scale-min-instances must be at most scale-max-instances (3), but was \"5\"");
        assertThatThrownBy(() -> ScalingSettings.from(config("scale-min-instances,12\n")))
                .hasMessage("config.csv:1: scale-min-instances must be at most scale-max-instances (10), but was \"12\"");
    }

    @Test
    void thresholdsAreOneToHundredAndIntervalsPositive() {
        assertThatThrownBy(() -> ScalingSettings.from(config("scale-cpu-threshold,0\nscale-memory-threshold,101\n"
                + "scale-check-interval,0\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(String.join("\n",
                        "config.csv:1: scale-cpu-threshold must be a number from 1 to 100, but was \"0\"",
                        "config.csv:2: scale-memory-threshold must be a number from 1 to 100, but was \"101\"",
                        "config.csv:3: scale-check-interval must be a duration from 1s to 86400s (seconds, or a number "
                                + "with ms, s, m or h), but was \"0\""));
    }

    @Test
    void cpuLowRuleAboveTheScaleUpThresholdWouldFlap() {
        assertThatThrownBy(() -> ScalingSettings.from(config("scale-rule-cpu-low,75\n")))
                .hasMessage("config.csv:1: scale-rule-cpu-low must be below scale-cpu-threshold (70), or the engine "
                        + "would flap, but was \"75\"");
    }

    @Test
    void actionWithoutItsRuleIsAWarning() {
        assertThat(config("scale-rule-queue-action,up\n").validate(false).problems())
                .extracting(Object::toString)
                .containsExactly("config.csv:1: warning: scale-rule-queue-action has no effect without "
                        + "scale-rule-queue-depth");
    }

    @Test
    void metricsSwitchesFollowTheMasterSwitch() {
        assertThat(MetricsSettings.from(BotConfig.ofDefaults())).isEqualTo(new MetricsSettings(true, true, true, true));
        assertThat(MetricsSettings.from(config("metrics-scaling-enabled,false\n")))
                .isEqualTo(new MetricsSettings(false, false, false, false));
    }

    @Test
    void healthDefaultsAndTimeoutWithinInterval() {
        assertThat(HealthSettings.from(BotConfig.ofDefaults()))
                .isEqualTo(new HealthSettings(true, "/api/health", Duration.ofSeconds(10), Duration.ofSeconds(5), 3));
        assertThatThrownBy(() -> HealthSettings.from(config("health-interval,2\n")))
                .hasMessage("config.csv:1: health-interval must be at least health-timeout (5), but was \"2\"");
        assertThatThrownBy(() -> HealthSettings.from(config("health-endpoint,api/health\n")))
                .hasMessage("config.csv:1: health-endpoint must be a path starting with /, but was \"api/health\"");
    }
}
