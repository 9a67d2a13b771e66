package io.generalbots.autoscale.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.scaling.testing.Await;
import io.generalbots.scaling.testing.ManualTicker;
import org.junit.jupiter.api.Test;

class LxcInstanceManagerTest {

    /**
     * {@code lxc list --format json} as LXD 5.0 prints it, trimmed to the fields read: botserver-1
     * and botserver-2 (stopped) reached through their proxy devices, botserver-7 made by the seed's
     * script on a bridge (an IPv4 address, no proxy device), and containers that are not ours.
     */
    static final String LIST_JSON = """
            [{"name":"botserver-1","status":"Running","expanded_devices":{
                "http":{"type":"proxy","listen":"tcp:127.0.0.1:8081","connect":"tcp:127.0.0.1:8080"},
                "root":{"type":"disk","path":"/","pool":"default"}},
              "state":{"status":"Running","network":{"lo":{"addresses":[{"family":"inet","address":"127.0.0.1",
                "scope":"local"}]}}}},
             {"name":"botserver-2","status":"Stopped","expanded_devices":{
                "http":{"type":"proxy","listen":"tcp:127.0.0.1:8082","connect":"tcp:127.0.0.1:8080"}},
              "state":{"status":"Stopped","network":null}},
             {"name":"proxy-1","status":"Running","expanded_devices":{
                "https":{"type":"proxy","listen":"tcp:0.0.0.0:8443-8444","connect":"tcp:127.0.0.1:443"}}},
             {"name":"botserver-7","status":"Running","expanded_devices":{
                "eth0":{"type":"nic","network":"lxdbr0"}},
              "state":{"status":"Running","network":{"eth0":{"addresses":[{"family":"inet6",
                "address":"fe80::216:3eff:fefd:8b89","scope":"link"},{"family":"inet","address":"10.158.93.77",
                "scope":"global"}]}}}},
             {"name":"botserver-old","status":"Running","expanded_devices":{}}]
            """;

    static final String BLKIO = "Error: Initialize LXC: Cannot apply limits.disk.priority as blkio.weight cgroup "
            + "controller is missing";

    /** A manager whose readiness probe answers ready, with 8083 taken on the host by something else. */
    static LxcInstanceManager.Builder seedManager(RecordingRunner runner) {
        return LxcInstanceManager.custom(runner)
                .readinessProbe(a -> new LxcInstanceManager.ReadinessProbe.Answer(true, "200"))
                .portFree((host, port) -> port != 8083);
    }

    @Test
    void listIsEveryContainerOfThePrefixInAnyStateWithItsProxyAddress() {
        RecordingRunner runner = new RecordingRunner().ok(LIST_JSON);
        List<Instance> list = LxcInstanceManager.custom(runner).build().list();

        assertThat(runner.commands).containsExactly("lxc list --format json");
        assertThat(list).containsExactly(
                new Instance("botserver-1", new HostAndPort("127.0.0.1", 8081), 1),
                new Instance("botserver-2", new HostAndPort("127.0.0.1", 8082), 2),
                new Instance("botserver-7", new HostAndPort("10.158.93.77", 8080), 7));
    }

    @Test
    void launchRunsTheSeedsCommandsWithAProxyDeviceOnTheLowestFreePort() {
        RecordingRunner runner = new RecordingRunner().ok(LIST_JSON);
        Instance i = seedManager(runner).build().launch();

        // 8081 and 8082 are configured in LXD (botserver-2 is stopped, its port stays reserved); 8083 is taken
        assertThat(i).isEqualTo(new Instance("botserver-8", new HostAndPort("127.0.0.1", 8084), 8));
        assertThat(runner.commands).containsExactly(
                "lxc list --format json",
                "lxc launch images:debian/12 botserver-8",
                "lxc config set botserver-8 limits.cpu 4",
                "lxc config set botserver-8 limits.memory 8GB",
                "lxc config set botserver-8 limits.disk.priority 5",
                "lxc config device set botserver-8 eth0 limits.ingress 100Mbit",
                "lxc config device set botserver-8 eth0 limits.egress 100Mbit",
                "lxc config device add botserver-8 http proxy listen=tcp:127.0.0.1:8084 connect=tcp:127.0.0.1:8080",
                "lxc file push -p /opt/gbo/conf/botserver.env botserver-8/opt/gbo/conf/",
                "lxc exec botserver-8 -- sh -c setsid /opt/gbo/bin/botserver > /var/log/botserver.log 2>&1 "
                        + "< /dev/null &");
    }

    @Test
    void imageProfilesEnvFileAndStartCommandAreConfigurable() {
        RecordingRunner runner = new RecordingRunner().ok("[]");
        seedManager(runner).prefix("gbit-").image("gb-busybox").profiles("default", "gb-java").limitsCpu(1)
                .limitsMemory("256MB").limitsDiskPriority(null).networkLimits("eth0", null, null)
                .envFile("/tmp/it.env", "/etc/gb/").logFile("/tmp/bot.log")
                .startCommand(List.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java", "-cp", "/opt/app/*", "Main",
                        "it's"))
                .proxyListen("127.0.0.1", 20000, 20010).port(9000).build().launch();

        assertThat(runner.commands).containsExactly(
                "lxc list --format json",
                "lxc launch gb-busybox gbit-1 -p default -p gb-java",
                "lxc config set gbit-1 limits.cpu 1",
                "lxc config set gbit-1 limits.memory 256MB",
                "lxc config device add gbit-1 http proxy listen=tcp:127.0.0.1:20000 connect=tcp:127.0.0.1:9000",
                "lxc file push -p /tmp/it.env gbit-1/etc/gb/",
                "lxc exec gbit-1 -- sh -c setsid /usr/lib/jvm/java-17-openjdk-amd64/bin/java -cp '/opt/app/*' Main "
                        + "'it'\\''s' > /tmp/bot.log 2>&1 < /dev/null &");
    }

    @Test
    void limitsLxdRefusesAreWarnedOnceAndTheLaunchGoesOn() {
        RecordingRunner runner = new RecordingRunner();
        for (int launch = 0; launch < 2; launch++) {
            runner.ok("[]").ok("").ok("").ok("")
                    .answer(1, "", BLKIO + "\n")
                    .answer(1, "", "Error: Device doesn't exist\n")
                    .answer(1, "", "Error: Device doesn't exist\n")
                    .ok("").ok("").ok("");
        }
        LxcInstanceManager m = seedManager(runner).build();
        String log = StdErr.capture(() -> {
            assertThat(m.launch().id()).isEqualTo("botserver-1");
            assertThat(m.launch().id()).isEqualTo("botserver-1");
        });

        assertThat(m.refusedLimits()).containsExactly("limits.disk.priority", "limits.ingress on eth0",
                "limits.egress on eth0");
        assertThat(log.lines().filter(l -> l.contains(" WARN ")).map(l -> l.substring(l.indexOf("WARN")))).containsExactly(
                "WARN io.generalbots.autoscale.instance.LxcInstanceManager - lxc botserver-1: LXD refused "
                        + "limits.disk.priority (" + BLKIO + "); instances run without it (warned once)",
                "WARN io.generalbots.autoscale.instance.LxcInstanceManager - lxc botserver-1: LXD refused "
                        + "limits.ingress on eth0 (Error: Device doesn't exist); instances run without it (warned once)",
                "WARN io.generalbots.autoscale.instance.LxcInstanceManager - lxc botserver-1: LXD refused "
                        + "limits.egress on eth0 (Error: Device doesn't exist); instances run without it (warned once)");
        assertThat(runner.commands).doesNotContain("lxc delete --force botserver-1");
    }

    @Test
    void aProxyPortTakenInTheMeantimeIsSkipped() {
        RecordingRunner runner = new RecordingRunner().ok("[]").ok("").ok("").ok("").ok("").ok("").ok("")
                .answer(1, "", "Error: Failed to add device \"http\": Error occurred when starting proxy device: "
                        + "Error: Failed to listen on 127.0.0.1:8081: listen tcp 127.0.0.1:8081: bind: address "
                        + "already in use\n");
        Instance i = seedManager(runner).build().launch();

        assertThat(i.address()).isEqualTo(new HostAndPort("127.0.0.1", 8082));
        assertThat(runner.commands).contains(
                "lxc config device add botserver-1 http proxy listen=tcp:127.0.0.1:8081 connect=tcp:127.0.0.1:8080",
                "lxc config device add botserver-1 http proxy listen=tcp:127.0.0.1:8082 connect=tcp:127.0.0.1:8080");
    }

    @Test
    void anInstanceThatNeverGetsReadyFailsNamingItAndIsRemoved() {
        ManualTicker ticker = new ManualTicker();
        RecordingRunner runner = new RecordingRunner().ok("[]").ok("").ok("").ok("").ok("").ok("").ok("").ok("")
                .ok("").ok("").ok("Exception in thread \"main\" java.lang.ClassNotFoundException: Main\n");
        List<Duration> waits = new CopyOnWriteArrayList<>();
        LxcInstanceManager m = LxcInstanceManager.custom(runner).portFree((h, p) -> true)
                .time(ticker, d -> {
                    waits.add(d);
                    ticker.advance(d);
                })
                .startTimeout(Duration.ofSeconds(60), Duration.ofSeconds(20))
                .readinessProbe(a -> new LxcInstanceManager.ReadinessProbe.Answer(false, "ConnectException")).build();

        assertThatThrownBy(m::launch).isInstanceOf(InstanceException.class).hasMessage(
                "lxc: botserver-1 did not answer GET http://127.0.0.1:8081/api/health as ready within 60 s (last "
                        + "answer: ConnectException); the end of its /var/log/botserver.log:\n"
                        + "Exception in thread \"main\" java.lang.ClassNotFoundException: Main");
        assertThat(runner.commands).endsWith("lxc exec botserver-1 -- tail -n 20 /var/log/botserver.log",
                "lxc delete --force botserver-1");
        // asked at 0, 20, 40 and 60 s, no sleeping
        assertThat(waits).containsExactly(Duration.ofSeconds(20), Duration.ofSeconds(20), Duration.ofSeconds(20));
    }

    @Test
    void aBadImageFailsTheLaunchAndWhatLxdMadeIsRemoved() {
        RecordingRunner runner = new RecordingRunner().ok("[]").answer(1, "", "Creating botserver-1\n"
                + "Error: Image not found\n").answer(1, "", "Error: Failed checking instance exists \"local:botserver-1\": "
                + "Instance not found\n");
        assertThatThrownBy(() -> seedManager(runner).image("nosuch").build().launch())
                .isInstanceOf(InstanceException.class)
                .hasMessage("lxc launch botserver-1 failed with exit code 1: Creating botserver-1\nError: Image not found");
        assertThat(runner.commands).containsExactly("lxc list --format json", "lxc launch nosuch botserver-1",
                "lxc delete --force botserver-1");
    }

    @Test
    void lxdDownFailsBeforeAnythingIsMade() {
        RecordingRunner runner = new RecordingRunner().answer(1, "", "Error: Get \"http://unix.socket/1.0\": dial unix "
                + "/var/lib/lxd/unix.socket: connect: no such file or directory\n");
        assertThatThrownBy(() -> seedManager(runner).build().launch()).isInstanceOf(InstanceException.class)
                .hasMessage("lxc list failed with exit code 1: Error: Get \"http://unix.socket/1.0\": dial unix "
                        + "/var/lib/lxd/unix.socket: connect: no such file or directory");
        assertThat(runner.commands).containsExactly("lxc list --format json");
    }

    @Test
    void aFailedStepAfterTheLaunchRemovesTheContainer() {
        RecordingRunner runner = new RecordingRunner().ok("[]").ok("").ok("").ok("").ok("").ok("").ok("").ok("")
                .answer(1, "", "Error: open /opt/gbo/conf/botserver.env: no such file or directory\n");
        assertThatThrownBy(() -> seedManager(runner).build().launch())
                .hasMessage("lxc file push botserver-1 failed with exit code 1: Error: open /opt/gbo/conf/botserver.env: "
                        + "no such file or directory");
        assertThat(runner.commands).endsWith("lxc delete --force botserver-1");
    }

    @Test
    void destroyStopsThenDeletesAndForcesAContainerThatDoesNotStop() {
        RecordingRunner runner = new RecordingRunner().ok("").ok("")
                .answer(1, "", "Error: Failed shutting down instance, status is \"Running\": context deadline exceeded\n")
                .ok("");
        LxcInstanceManager m = LxcInstanceManager.custom(runner).build();
        m.destroy(new Instance("botserver-3", new HostAndPort("127.0.0.1", 8083), 3));
        m.destroy(new Instance("botserver-4", new HostAndPort("127.0.0.1", 8084), 4));

        assertThat(runner.commands).containsExactly("lxc stop botserver-3 --timeout 30", "lxc delete botserver-3",
                "lxc stop botserver-4 --timeout 30", "lxc delete --force botserver-4");
    }

    @Test
    void theSeedsDrainCommandCanStillBeUsed() {
        RecordingRunner runner = new RecordingRunner();
        LxcInstanceManager m = LxcInstanceManager.custom(runner).drainCommand(List.of("/opt/gbo/bin/botserver",
                "drain")).build();
        Instance i = new Instance("botserver-3", new HostAndPort("127.0.0.1", 8083), 3);
        m.drain(i);
        assertThat(runner.commands).containsExactly("lxc exec botserver-3 -- /opt/gbo/bin/botserver drain");
        // as in the seed's sleep 30: destroyed at the drain deadline
        assertThat(m.isDrained(i)).isFalse();
    }

    @Test
    void drainGoesThroughTheControlEndpointWithTheToken() throws IOException {
        List<String> seen = new CopyOnWriteArrayList<>();
        String[] state = {"{\"state\":\"draining\",\"inflight\":2}"};
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/instance/drain", ex -> {
            seen.add(ex.getRequestMethod() + " " + ex.getRequestHeaders().getFirst("Authorization"));
            boolean ok = "Bearer s3cret-s3cret-s3cret".equals(ex.getRequestHeaders().getFirst("Authorization"));
            send(ex, ok ? 200 : 403, ok ? state[0] : "{\"error\":\"forbidden\"}");
        });
        server.start();
        try {
            Instance i = new Instance("botserver-3", new HostAndPort("127.0.0.1", server.getAddress().getPort()), 3);
            InstanceControlClient control = new InstanceControlClient(java.net.http.HttpClient.newHttpClient(),
                    InstanceControlClient.DEFAULT_PATH, java.util.Optional.of("s3cret-s3cret-s3cret"),
                    Duration.ofSeconds(5));
            LxcInstanceManager m = LxcInstanceManager.custom(new RecordingRunner()).control(control).build();
            m.drain(i);
            assertThat(m.isDrained(i)).isFalse();
            state[0] = "{\"state\":\"drained\",\"inflight\":0}";
            assertThat(m.isDrained(i)).isTrue();
            assertThat(seen).containsExactly("POST Bearer s3cret-s3cret-s3cret", "GET Bearer s3cret-s3cret-s3cret",
                    "GET Bearer s3cret-s3cret-s3cret");

            LxcInstanceManager noToken = LxcInstanceManager.custom(new RecordingRunner()).build();
            assertThatThrownBy(() -> noToken.drain(i)).isInstanceOf(InstanceException.class)
                    .hasMessage("control: botserver-3 refused the drain (403): give the scaler and the instances the "
                            + "same scale-control-token (without one, only loopback callers may drain)");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void builderValuesAreChecked() {
        LxcInstanceManager.Builder b = LxcInstanceManager.custom(new RecordingRunner());
        assertThatThrownBy(() -> b.limitsMemory("8 gigs"))
                .hasMessage("limits.memory must be a size such as 8GB or 512MiB, but was 8 gigs");
        assertThatThrownBy(() -> b.limitsCpu(0)).hasMessage("limits.cpu must be from 1 to 1024, but was 0");
        assertThatThrownBy(() -> b.limitsDiskPriority(11))
                .hasMessage("limits.disk.priority must be from 0 to 10, but was 11");
        assertThatThrownBy(() -> b.proxyListen("0.0.0.0", 8081, 9080)).hasMessage("proxy listen address must be an "
                + "IP address the proxy reaches (not a wildcard, which would expose every instance), but was 0.0.0.0");
        assertThatThrownBy(() -> b.networkLimits("eth0", "100 megabits", null))
                .hasMessage("network limit must be a rate such as 100Mbit, but was 100 megabits");
        assertThatThrownBy(() -> b.prefix("bot server"))
                .hasMessage("prefix must be letters, digits and dashes starting with a letter, but was bot server");
    }

    @Test
    void noFreePortIsAClearError() {
        RecordingRunner runner = new RecordingRunner().ok("[]").ok("").ok("").ok("").ok("").ok("").ok("");
        assertThatThrownBy(() -> LxcInstanceManager.custom(runner).proxyListen("127.0.0.1", 8081, 8082)
                .portFree((h, p) -> false).build().launch())
                .hasMessage("lxc: no free port for the proxy device of botserver-1 in 8081..8082 on 127.0.0.1 "
                        + "(0 are configured in LXD)");
        assertThat(runner.commands).endsWith("lxc delete --force botserver-1");
    }

    @Test
    void shellQuotesOnlyWhatNeedsIt() {
        assertThat(LxcInstanceManager.shell(List.of("/bin/java", "-Dx=a b", "$HOME", "-cp", "a:b/c.jar")))
                .isEqualTo("/bin/java '-Dx=a b' '$HOME' -cp a:b/c.jar");
        assertThat(Set.of(LxcInstanceManager.PROXY_DEVICE)).containsExactly("http");
    }

    private static void send(HttpExchange ex, int code, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(code, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    @Test
    void launchesRunOneAtATimeWithoutHoldingTheManagersMonitor() throws Exception {
        CountDownLatch inLaunch = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> commands = new CopyOnWriteArrayList<>();
        CommandRunner runner = new CommandRunner() {
            @Override
            public Result run(List<String> command) {
                String line = String.join(" ", command);
                commands.add(line);
                if (line.equals("lxc launch images:debian/12 botserver-8")) {
                    inLaunch.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                // the second launch lists the first one's container too
                boolean firstDone = commands.stream().anyMatch(c -> c.startsWith("lxc exec botserver-8"));
                return new Result(0, line.equals("lxc list --format json") ? (firstDone ? LIST_JSON.replace(
                        "\"botserver-old\"", "\"botserver-8\"") : LIST_JSON) : "", "");
            }

            @Override
            public void spawn(List<String> command) {
            }
        };
        LxcInstanceManager manager = LxcInstanceManager.custom(runner)
                .readinessProbe(a -> new LxcInstanceManager.ReadinessProbe.Answer(true, "200"))
                .portFree((host, port) -> true).build();
        List<Instance> launched = new CopyOnWriteArrayList<>();
        Thread first = new Thread(() -> launched.add(manager.launch()));
        first.start();
        assertThat(inLaunch.await(10, TimeUnit.SECONDS)).isTrue();
        Thread second = new Thread(() -> launched.add(manager.launch()));
        second.start();
        // the second launch parks on the manager's lock, before listing the containers
        Await.until("the second launch waits", Duration.ofSeconds(10),
                () -> second.getState() == Thread.State.WAITING);
        assertThat(commands.stream().filter(c -> c.equals("lxc list --format json"))).hasSize(1);
        CompletableFuture<Boolean> monitorFree = CompletableFuture
                .supplyAsync(() -> {
                    synchronized (manager) {
                        return true;
                    }
                });
        assertThat(monitorFree.get(10, TimeUnit.SECONDS)).as("monitor not held over lxc").isTrue();
        release.countDown();
        first.join();
        second.join();
        assertThat(launched).extracting(Instance::id).containsExactlyInAnyOrder("botserver-8", "botserver-9");
    }
}
