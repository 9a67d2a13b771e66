package io.generalbots.autoscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.generalbots.autoscale.instance.InstanceManager;
import io.generalbots.autoscale.instance.LxcInstanceManager;
import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigException;
import io.generalbots.scaling.testing.ManualTicker;

/** An instance manager of one's own, plugged in by name from config.csv through ServiceLoader. */
class InstanceManagerPluginTest {

    private final ManualTicker ticker = new ManualTicker();

    private static ScalingSettings parse(String text) {
        return ScalingSettings.from(BotConfig.parse("config.csv", text));
    }

    @Test
    void aManagerNamedInConfigCsvIsBuiltByItsProviderAndDrivenByTheScaler() {
        ScalingSettings settings = parse("scale-enabled,true\nscale-instance-manager,Test-Fleet\n");
        assertThat(settings.instanceManager()).isEqualTo("test-fleet");
        InstanceManager manager = InstanceManager.of(settings);
        assertThat(manager).isSameAs(TestFleetProvider.lastManager);
        assertThat(TestFleetProvider.lastSettings).isSameAs(settings);

        PushedMetricsSource source = new PushedMetricsSource(Duration.ofSeconds(60), ticker);
        AutoScaler scaler = AutoScaler.custom(settings, manager, source).name("plugin").ticker(ticker)
                .clock(ticker.clock()).leaderElection(LeaderElection.alone()).build();
        source.record("bot-1", InstanceMetrics.cpu(140));
        source.record("bot-2", InstanceMetrics.cpu(140));
        assertThat(scaler.check().orElseThrow().desired()).isEqualTo(4);

        // the scaler lists the fleet, then launches the two instances the rule asks for, one by one
        verify(manager, atLeastOnce()).list();
        verify(manager, times(2)).launch();
        verify(manager, never()).drain(any());
        verify(manager, never()).destroy(any());
        assertThat(TestFleetProvider.lastManager.calls).containsExactly("launch bot-3", "launch bot-4");
    }

    @Test
    void lxcIsTheDefaultAndAnUnknownNameListsTheProviders() {
        ScalingSettings defaults = ScalingSettings.ofDefaults();
        assertThat(defaults.instanceManager()).isEqualTo("lxc");
        assertThat(InstanceManager.of(defaults)).isInstanceOf(LxcInstanceManager.class);
        assertThat(parse("scale-instance-manager,LXC\n").instanceManager()).isEqualTo("lxc");
        assertThatThrownBy(() -> parse("bot-name,x\nscale-instance-manager,k8s\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config.csv:2: scale-instance-manager must be lxc or an InstanceManagerProvider: "
                        + "test-fleet, but was \"k8s\"");
        // without a provider on the class path, the message names lxc only
        assertThat(ScalingSettings.instanceManagerExpectation(List.of())).isEqualTo("lxc");
        assertThatThrownBy(() -> InstanceManager.of(defaults.toBuilder().instanceManager("k8s").build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("scale-instance-manager k8s names an InstanceManagerProvider that is not on the class path");
    }
}
