package io.generalbots.autoscale.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import io.generalbots.scaling.config.HostAndPort;
import org.junit.jupiter.api.Test;

class LxcInstanceManagerTest {

    /** {@code lxc list -c ns4 --format csv} as LXD 5 prints it: several addresses are quoted, one per line. */
    static final String LIST_CSV = """
            botserver-1,RUNNING,10.158.93.174 (eth0)
            botserver-2,RUNNING,"10.158.93.20 (eth0)
            172.17.0.1 (docker0)"
            botserver-3,STOPPED,
            proxy-1,RUNNING,10.158.93.2 (eth0)
            botserver-7,RUNNING,10.158.93.77 (eth0)
            """;

    @Test
    void listsRunningBotserverContainersWithTheirFirstIpv4() {
        RecordingRunner runner = new RecordingRunner().ok(LIST_CSV);
        List<Instance> list = LxcInstanceManager.custom(runner).build().list();

        assertThat(runner.commands).containsExactly("lxc list -c ns4 --format csv");
        assertThat(list).containsExactly(
                new Instance("botserver-1", new HostAndPort("10.158.93.174", 8080), 1),
                new Instance("botserver-2", new HostAndPort("10.158.93.20", 8080), 2),
                new Instance("botserver-7", new HostAndPort("10.158.93.77", 8080), 7));
    }

    @Test
    void launchRunsTheSeedsCommandsInOrder() {
        RecordingRunner runner = new RecordingRunner()
                .ok("botserver-1\nbotserver-2\nproxy-1\nbotserver-7\n")
                .ok("").ok("").ok("").ok("")
                .ok("10.158.93.80 (eth0)\n");
        Instance i = LxcInstanceManager.custom(runner).build().launch();

        assertThat(i).isEqualTo(new Instance("botserver-8", new HostAndPort("10.158.93.80", 8080), 8));
        assertThat(runner.commands).containsExactly(
                "lxc list -c n --format csv",
                "lxc launch images:debian/12 botserver-8",
                "lxc config set botserver-8 limits.cpu 4",
                "lxc config set botserver-8 limits.memory 8GB",
                "lxc file push /opt/gbo/conf/botserver.env botserver-8/opt/gbo/conf/",
                "lxc exec botserver-8 -- /opt/gbo/bin/botserver &",
                "lxc list botserver-8 -c 4 --format csv");
    }

    @Test
    void aFailedLaunchRemovesTheHalfMadeContainer() {
        RecordingRunner runner = new RecordingRunner().ok("").ok("")
                .answer(1, "", "Error: Failed to set limits.cpu: invalid value\n");
        LxcInstanceManager m = LxcInstanceManager.custom(runner).build();

        assertThatThrownBy(m::launch).isInstanceOf(InstanceException.class)
                .hasMessage("lxc limits.cpu botserver-1 failed with exit code 1: Error: Failed to set limits.cpu: "
                        + "invalid value");
        assertThat(runner.commands).endsWith("lxc delete --force botserver-1");
    }

    @Test
    void aLaunchThatFailsAtOnceLeavesNothingToDelete() {
        RecordingRunner runner = new RecordingRunner().ok("").answer(1, "", "Error: Failed instance creation: "
                + "Failed getting remote image info: Failed getting image: The requested image couldn't be found\n");
        assertThatThrownBy(() -> LxcInstanceManager.custom(runner).build().launch())
                .hasMessageContaining("The requested image couldn't be found");
        assertThat(runner.commands).containsExactly("lxc list -c n --format csv",
                "lxc launch images:debian/12 botserver-1");
    }

    @Test
    void drainAndDestroyUseTheSeedsCommands() {
        RecordingRunner runner = new RecordingRunner();
        LxcInstanceManager m = LxcInstanceManager.custom(runner).build();
        Instance i = new Instance("botserver-3", new HostAndPort("10.0.0.3", 8080), 3);
        m.drain(i);
        m.destroy(i);
        assertThat(runner.commands).containsExactly("lxc exec botserver-3 -- /opt/gbo/bin/botserver drain",
                "lxc stop botserver-3", "lxc delete botserver-3");
        assertThat(m.isDrained(i)).isFalse();
    }

    @Test
    void builderValuesAreChecked() {
        assertThatThrownBy(() -> LxcInstanceManager.custom(new RecordingRunner()).limitsMemory("8 gigs"))
                .hasMessage("limits.memory must be a size such as 8GB or 512MiB, but was 8 gigs");
        assertThatThrownBy(() -> LxcInstanceManager.custom(new RecordingRunner()).limitsCpu(0))
                .hasMessage("limits.cpu must be from 1 to 1024, but was 0");
    }

    @Test
    void parsesIpv4Fields() {
        assertThat(LxcInstanceManager.parseIpv4("10.1.2.3 (eth0)\n172.17.0.1 (docker0)"))
                .containsExactly("10.1.2.3", "172.17.0.1");
        assertThat(LxcInstanceManager.parseIpv4("")).isEmpty();
    }
}
