package io.generalbots.autoscale.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class ProcessCommandRunnerTest {

    private final ProcessCommandRunner runner = new ProcessCommandRunner(Duration.ofSeconds(30));

    @Test
    void aCommandThatReadsItsInputGetsAnEmptyOneAndEnds() {
        // lxc launch reads a YAML configuration from a stdin that is not a terminal: an open pipe hangs it
        assertThat(runner.run(List.of("cat"))).isEqualTo(new CommandRunner.Result(0, "", ""));
    }

    @Test
    void outputAndExitCodeAreReported() {
        assertThat(runner.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3")))
                .isEqualTo(new CommandRunner.Result(3, "out\n", "err\n"));
    }

    @Test
    void aCommandThatDoesNotEndInTimeIsKilledAndNamed() {
        assertThatThrownBy(() -> new ProcessCommandRunner(Duration.ofMillis(200)).run(List.of("sleep", "30")))
                .isInstanceOf(InstanceException.class).hasMessage("sleep 30 did not end within 200 ms");
    }

    @Test
    void aMissingProgramIsNamed() {
        assertThatThrownBy(() -> runner.run(List.of("/no/such/lxc", "list")))
                .isInstanceOf(InstanceException.class)
                .hasMessageStartingWith("cannot run /no/such/lxc list: ");
    }
}
