package io.generalbots.autoscale.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.generalbots.autoscale.InstanceMetrics;
import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.scaling.testing.ManualTicker;
import org.junit.jupiter.api.Test;

class LxcMetricsSourceTest {

    /** The shape of {@code lxc list --format json} (instances with their state), values from a real container. */
    static String listJson(long usage1, long usage2) {
        return """
                [{"architecture":"x86_64","config":{"image.os":"Debian","limits.cpu":"4","limits.memory":"8GB"},
                  "devices":{},"ephemeral":false,"profiles":["default"],"stateful":false,"description":"",
                  "created_at":"2026-01-01T00:00:00Z",
                  "expanded_config":{"image.os":"Debian","limits.cpu":"4","limits.memory":"8GB"},
                  "name":"botserver-1","status":"Running","status_code":103,"type":"container",
                  "state":{"status":"Running","status_code":103,
                    "disk":{"root":{"usage":1113673728}},
                    "memory":{"usage":2000000000,"usage_peak":2100000000,"swap_usage":0,"swap_usage_peak":0},
                    "network":{"eth0":{"addresses":[{"family":"inet","address":"10.158.93.174","netmask":"24",
                      "scope":"global"},{"family":"inet6","address":"fe80::216:3eff:fefd:8b89","netmask":"64",
                      "scope":"link"}],"counters":{"bytes_received":9711064516,"bytes_sent":335003352,
                      "packets_received":5838218,"packets_sent":4172290},"hwaddr":"00:16:3e:fd:8b:89",
                      "host_name":"veth2e1d4c7f","mtu":1500,"state":"up","type":"broadcast"}},
                    "pid":3141,"processes":27,"cpu":{"usage":%d}}},
                 {"name":"botserver-2","status":"Running","expanded_config":{"limits.cpu":"0-1",
                  "limits.memory":"1GiB"},
                  "state":{"status":"Running","memory":{"usage":536870912},"cpu":{"usage":%d}}}]
                """.formatted(usage1, usage2);
    }

    @Test
    void cpuIsTheUsageDeltaOverTheIntervalAndTheCpuLimit() {
        ManualTicker ticker = new ManualTicker();
        RecordingRunner runner = new RecordingRunner().ok(listJson(800_378_470_122L, 5_000_000_000L))
                .ok(listJson(800_378_470_122L + 60_000_000_000L, 5_000_000_000L + 15_000_000_000L));
        LxcMetricsSource source = new LxcMetricsSource(runner, ticker);
        List<Instance> instances = List.of(new Instance("botserver-1", new HostAndPort("10.0.0.1", 8080), 1),
                new Instance("botserver-2", new HostAndPort("10.0.0.2", 8080), 2));

        Map<String, InstanceMetrics> first = source.collect(instances);
        assertThat(first.get("botserver-1").cpuPercent()).isNaN();
        assertThat(first.get("botserver-1").memoryPercent()).isEqualTo(25.0);
        assertThat(first.get("botserver-2").memoryPercent()).isEqualTo(50.0);

        ticker.advance(Duration.ofSeconds(30));
        Map<String, InstanceMetrics> second = source.collect(instances);
        // 60 CPU-seconds in 30 s on 4 cores = 50 %; 15 CPU-seconds in 30 s on cores 0-1 = 25 %
        assertThat(second.get("botserver-1").cpuPercent()).isEqualTo(50.0);
        assertThat(second.get("botserver-2").cpuPercent()).isEqualTo(25.0);
        assertThat(second.get("botserver-1").ready()).isTrue();
        assertThat(runner.commands).containsExactly("lxc list --format json", "lxc list --format json");
    }

    @Test
    void unreadableOutputIsAnError() {
        RecordingRunner runner = new RecordingRunner().ok("Error: not JSON");
        assertThatThrownBy(() -> new LxcMetricsSource(runner, new ManualTicker()).collect(List.of()))
                .hasMessageStartingWith("lxc list --format json printed JSON that cannot be read: ");
    }

    @Test
    void parsesLimits() {
        assertThat(LxcMetricsSource.cores("4")).isEqualTo(4);
        assertThat(LxcMetricsSource.cores("0-3,6")).isEqualTo(5);
        assertThat(LxcMetricsSource.bytes("8GB")).isEqualTo(8_000_000_000L);
        assertThat(LxcMetricsSource.bytes("512MiB")).isEqualTo(512L * 1024 * 1024);
        assertThat(LxcMetricsSource.bytes("50%")).isZero();
    }
}
