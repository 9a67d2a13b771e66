package io.generalbots.autoscale.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import io.generalbots.scaling.testing.ManualTicker;
import org.junit.jupiter.api.Test;

class LocalProcessInstanceManagerTest {

    @Test
    void aCommandThatCannotStartIsAFailedLaunchAndLeavesNothing() {
        LocalProcessInstanceManager m = new LocalProcessInstanceManager(
                List.of("/nonexistent/botserver", "--port", "{port}"), InstanceControlClient.of(Duration.ofSeconds(1)),
                null, new ManualTicker());
        assertThatThrownBy(m::launch).isInstanceOf(InstanceException.class)
                .hasMessageStartingWith("local: cannot start /nonexistent/botserver --port ");
        assertThat(m.list()).isEmpty();
    }

    @Test
    void theCommandMustTakeThePort() {
        assertThatThrownBy(() -> new LocalProcessInstanceManager(List.of("java", "-jar", "demo.jar"),
                InstanceControlClient.of(Duration.ofSeconds(1)), null, new ManualTicker()))
                .hasMessage("command must be a command with {port} in it, but was [java, -jar, demo.jar]");
    }
}
