package io.generalbots.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.generalbots.autoscale.instance.Instance;
import io.generalbots.scaling.config.HostAndPort;
import org.junit.jupiter.api.Test;

class BootTimesTest {

    private static final Instance A = new Instance("a", new HostAndPort("10.0.0.1", 8080), 1);
    private static final Instance B = new Instance("b", new HostAndPort("10.0.0.2", 8080), 2);

    @Test
    void assumesSixtySecondsUntilABootIsSeen() {
        assertThat(new BootTimes().bootNanos()).isEqualTo(60_000_000_000L).isEqualTo(BootTimes.DEFAULT_BOOT_NANOS);
    }

    @Test
    void learnsFromLaunchToTheFirstReadyReport() {
        BootTimes boots = new BootTimes();
        boots.launched("a", 1_000);
        boots.observe(List.of(A), Map.of(), 5_000);   // no report yet
        assertThat(boots.bootNanos()).isEqualTo(BootTimes.DEFAULT_BOOT_NANOS);
        boots.observe(List.of(A), Map.of("a", InstanceMetrics.cpu(10)), 41_000);
        assertThat(boots.bootNanos()).isEqualTo(40_000);
        assertThat(boots.booting()).isZero();
        boots.observe(List.of(A), Map.of("a", InstanceMetrics.cpu(10)), 99_000);   // only the first report counts
        assertThat(boots.bootNanos()).isEqualTo(40_000);
    }

    @Test
    void forgetsInstancesThatAreGone() {
        BootTimes boots = new BootTimes();
        boots.launched("a", 0);
        boots.launched("b", 0);
        boots.observe(List.of(B), Map.of(), 10);
        assertThat(boots.booting()).isEqualTo(1);
        boots.observe(List.of(A, B), Map.of("a", InstanceMetrics.cpu(10)), 20);
        assertThat(boots.bootNanos()).as("a was forgotten").isEqualTo(BootTimes.DEFAULT_BOOT_NANOS);
    }
}
