package io.generalbots.autoscale.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.generalbots.autoscale.AutoScaler;
import io.generalbots.autoscale.InstanceMetrics;
import io.generalbots.autoscale.LeaderElection;
import io.generalbots.autoscale.ScalingEvent;
import io.generalbots.autoscale.ScalingSettings;
import io.generalbots.scaling.Ticker;
import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.testing.ManualTicker;
import io.generalbots.scaling.testing.TestLxd;
import io.generalbots.autoscale.serving.BotInstance;
import io.generalbots.autoscale.serving.InstanceSettings;
import io.generalbots.autoscale.testing.TestBotServer;
import io.generalbots.scaling.health.HealthSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link LxcInstanceManager} and {@link LxcMetricsSource} against the real LXD that the test script
 * sets up (no bridge, the local busybox image, the host's JDK through a read-only {@code /usr}):
 * the small botserver {@link TestBotServer}, built on the library's {@link BotInstance}, runs in
 * each container with a {@code scale-control-token} and is reached through the manager's proxy
 * device on loopback. Everything is made under one unique prefix and removed at the
 * end, even when a test fails.
 */
class LxcInstanceManagerIT {

    static final String PREFIX = TestLxd.uniquePrefix("gbmgr");
    static final String PROFILE = PREFIX + "java";
    static final String TOKEN = "lxd-it-" + PREFIX + "control-token";
    static String classPath;
    static Path envFile;
    static BotConfig config;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void lxd() throws IOException {
        TestLxd.require();
        classPath = TestLxd.createJavaProfile(PROFILE, TestLxd.classPathOf(TestBotServer.class, BotInstance.class,
                BotConfig.class, com.fasterxml.jackson.databind.ObjectMapper.class,
                com.fasterxml.jackson.core.JsonFactory.class, com.fasterxml.jackson.annotation.JsonProperty.class,
                org.apache.commons.csv.CSVFormat.class, org.apache.commons.io.IOUtils.class,
                org.apache.commons.codec.binary.Hex.class, org.slf4j.LoggerFactory.class));
        // the bot's config.csv goes where the seed puts botserver.env; TestBotServer reads it
        envFile = Files.createDirectories(Path.of("target", "lxd-it")).resolve("config.csv").toAbsolutePath();
        Files.writeString(envFile, "name,value\nscale-control-token," + TOKEN + "\n");
        config = BotConfig.load(envFile);
    }

    @AfterAll
    static void removeEverything() {
        try {
            TestLxd.deleteContainers(PREFIX);
        } finally {
            TestLxd.deleteProfile(PROFILE);
        }
    }

    static LxcInstanceManager.Builder manager(String prefix) {
        return LxcInstanceManager.custom(new ProcessCommandRunner(Duration.ofMinutes(2)))
                .prefix(prefix).image(TestLxd.IMAGE).profiles("default", PROFILE)
                .limitsCpu(1).limitsMemory("256MB")
                .envFile(envFile.toString(), "/opt/gbo/conf/")
                .startCommand(List.of(TestLxd.JAVA, "-Xmx48m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                        classPath, TestBotServer.class.getName(), "8080", "--config", "/opt/gbo/conf/config.csv"))
                .control(InstanceControlClient.of(InstanceSettings.from(config), HealthSettings.from(config)))
                .proxyListen("127.0.0.1", 20000, 40000)
                .startTimeout(Duration.ofSeconds(60), Duration.ofMillis(100));
    }

    @Test
    void launchesReachableInstancesThatListMatchesAndDestroysThem() throws Exception {
        String prefix = PREFIX + "a";
        LxcInstanceManager m = manager(prefix).build();
        Instance one = m.launch();
        Instance two = m.launch();

        assertThat(one.id()).isEqualTo(prefix + "1");
        assertThat(two.id()).isEqualTo(prefix + "2");
        assertThat(one.address().host()).isEqualTo("127.0.0.1");
        assertThat(two.address().port()).isNotEqualTo(one.address().port());
        assertThat(m.list()).containsExactly(one, two);
        assertThat(TestLxd.containers(prefix)).containsExactly(one.id(), two.id());
        // the launch returned only once ready: the proxy device reaches botserver at once
        assertThat(get(one, "/api/work")).isEqualTo("200 ok");
        assertThat(get(two, "/api/work")).isEqualTo("200 ok");
        // the config was pushed into a directory the image does not have (lxc file push -p)
        assertThat(TestLxd.lxcOk("exec", one.id(), "--", "cat", "/opt/gbo/conf/config.csv"))
                .isEqualTo(Files.readString(envFile));
        // every limit is either applied or was refused by LXD (here: limits.disk.priority, no eth0)
        assertThat(TestLxd.lxcOk("config", "get", one.id(), "limits.cpu").strip()).isEqualTo("1");
        assertThat(TestLxd.lxcOk("config", "get", one.id(), "limits.memory").strip()).isEqualTo("256MB");
        String priority = TestLxd.lxcOk("config", "get", one.id(), "limits.disk.priority").strip();
        assertThat(priority.equals("5") || m.refusedLimits().contains("limits.disk.priority"))
                .as("limits.disk.priority is %s; refused: %s", priority, m.refusedLimits()).isTrue();

        // behind the proxy device every caller is loopback: without the token the control endpoint refuses
        assertThat(post(two, "/api/instance/drain")).startsWith("403 ");
        // drain through the control endpoint with the token: health turns draining, nothing in flight
        m.drain(two);
        assertThat(get(two, "/api/health")).startsWith("503 ").contains("draining");
        assertThat(m.isDrained(two)).isTrue();
        m.destroy(two);
        assertThat(TestLxd.containers(prefix)).containsExactly(one.id());
        assertThat(m.list()).containsExactly(one);
        m.destroy(one);
        assertThat(m.list()).isEmpty();
    }

    @Test
    void proxyPortsAndNamesStayUniqueAcrossStoppedContainersAndAScalerRestart() {
        String prefix = PREFIX + "b";
        Instance one = manager(prefix).build().launch();
        Instance two = manager(prefix).build().launch();
        TestLxd.lxcOk("stop", two.id(), "--force");

        // a new manager (a restarted or new leader): the stopped container's port is free on the host but
        // still configured in LXD, so it is not handed out again
        LxcInstanceManager restarted = manager(prefix).build();
        assertThat(restarted.list()).containsExactly(one, two);
        Instance three = restarted.launch();
        assertThat(three.id()).isEqualTo(prefix + "3");
        assertThat(three.address().port()).isNotIn(one.address().port(), two.address().port());
        TestLxd.lxcOk("start", two.id());
        assertThat(restarted.list()).containsExactly(one, two, three);
        TestLxd.deleteContainers(prefix);
    }

    @Test
    void cpuAndMemoryComeFromLxdsCountersOverTheLimits() throws Exception {
        String prefix = PREFIX + "c";
        LxcInstanceManager m = manager(prefix).build();
        Instance busy = m.launch();
        Instance idle = m.launch();
        LxcMetricsSource source = new LxcMetricsSource(new ProcessCommandRunner(Duration.ofMinutes(1)), Ticker.system());
        List<Instance> both = List.of(busy, idle);
        source.collect(both);
        TestLxd.lxc("exec", busy.id(), "--", "timeout", "2", "sh", "-c", "while :; do :; done");
        Map<String, InstanceMetrics> metrics = source.collect(both);

        // one busy core of limits.cpu 1, against an idle JVM
        assertThat(metrics.get(busy.id()).cpuPercent()).isBetween(20.0, 100.0)
                .isGreaterThan(metrics.get(idle.id()).cpuPercent());
        // memory.usage over limits.memory 256MB: a small JVM, well under the limit
        assertThat(metrics.get(idle.id()).memoryPercent()).isGreaterThan(0.0).isLessThan(100.0);
        assertThat(metrics.get(busy.id()).ready()).isTrue();
        TestLxd.deleteContainers(prefix);
    }

    @Test
    void failedLaunchesLeaveNoContainerAndNameTheProblem() {
        String prefix = PREFIX + "d";
        assertThatThrownBy(() -> manager(prefix).image("gb-no-such-image").build().launch())
                .isInstanceOf(InstanceException.class)
                .hasMessageStartingWith("lxc launch " + prefix + "1 failed with exit code 1: ")
                .hasMessageContaining("Image not found");
        assertThat(TestLxd.containers(prefix)).isEmpty();

        assertThatThrownBy(() -> manager(prefix).startCommand(List.of("sleep", "600"))
                .startTimeout(Duration.ofSeconds(3), Duration.ofMillis(100)).build().launch())
                .isInstanceOf(InstanceException.class)
                .hasMessageMatching("lxc: " + prefix + "1 did not answer GET http://127\\.0\\.0\\.1:\\d+/api/health as "
                        + "ready within 3 s \\(last answer: connection closed without an HTTP answer: does anything "
                        + "listen on port 8080 in the container\\?\\)");
        assertThat(TestLxd.containers(prefix)).isEmpty();

        assertThatThrownBy(() -> manager(prefix).startCommand(List.of(TestLxd.JAVA, "-cp", classPath, "NoSuchMain"))
                .startTimeout(Duration.ofSeconds(5), Duration.ofMillis(100)).build().launch())
                .isInstanceOf(InstanceException.class)
                .hasMessageContaining("the end of its /var/log/botserver.log:\nError: Could not find or load main class "
                        + "NoSuchMain");
        assertThat(TestLxd.containers(prefix)).isEmpty();
    }

    @Test
    void theScalerRetriesAFailedLaunchAfterTheCooldown() {
        String prefix = PREFIX + "e";
        List<String> launches = new CopyOnWriteArrayList<>();
        ProcessCommandRunner real = new ProcessCommandRunner(Duration.ofMinutes(1));
        CommandRunner counting = new CommandRunner() {
            @Override
            public Result run(List<String> command) {
                if (command.size() > 1 && command.get(1).equals("launch")) {
                    launches.add(command.get(3));
                }
                return real.run(command);
            }

            @Override
            public void spawn(List<String> command) {
                real.spawn(command);
            }
        };
        LxcInstanceManager m = LxcInstanceManager.custom(counting).prefix(prefix).image("gb-no-such-image").build();
        ManualTicker ticker = new ManualTicker();
        List<ScalingEvent> events = new CopyOnWriteArrayList<>();
        ScalingSettings settings = ScalingSettings.from(BotConfig.of(Map.of("scale-enabled", "true",
                "scale-min-instances", "1", "scale-cooldown-seconds", "60")));
        AutoScaler scaler = AutoScaler.custom(settings, m, instances -> Map.of()).ticker(ticker)
                .clock(ticker.clock()).leaderElection(LeaderElection.alone()).listener(events::add).build();

        scaler.check();
        assertThat(events).singleElement().isInstanceOfSatisfying(ScalingEvent.ScalingFailed.class, f -> {
            assertThat(f.operation()).isEqualTo("launch");
            assertThat(f.error()).contains("Image not found");
        });
        ticker.advance(Duration.ofSeconds(30));
        scaler.check();
        assertThat(launches).containsExactly(prefix + "1");
        ticker.advance(Duration.ofSeconds(31));
        scaler.check();
        assertThat(launches).containsExactly(prefix + "1", prefix + "1");
        assertThat(events).hasSize(2);
        assertThat(TestLxd.containers(prefix)).isEmpty();
    }

    private String post(Instance i, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + i.address() + path))
                .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    private String get(Instance i, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + i.address() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }
}
