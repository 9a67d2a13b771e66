package io.generalbots.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import io.generalbots.autoscale.AutoScaler;
import io.generalbots.autoscale.HealthEndpointMetricsSource;
import io.generalbots.autoscale.InstanceMetrics;
import io.generalbots.autoscale.LeaderElection;
import io.generalbots.autoscale.LeaderSettings;
import io.generalbots.autoscale.ScalingEvent;
import io.generalbots.autoscale.ScalingListener;
import io.generalbots.autoscale.ScalingSettings;
import io.generalbots.autoscale.instance.InstanceControlClient;
import io.generalbots.autoscale.instance.LxcInstanceManager;
import io.generalbots.autoscale.serving.BotInstance;
import io.generalbots.autoscale.serving.InstanceSettings;
import io.generalbots.autoscale.testing.TestBotServer;
import io.generalbots.autoscale.instance.ProcessCommandRunner;
import io.generalbots.balance.caddy.CaddyUpstreamSync;
import io.generalbots.balance.caddy.Caddyfile;
import io.generalbots.scaling.Ticker;
import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.scaling.health.HealthSettings;
import io.generalbots.scaling.testing.FreePorts;
import io.generalbots.scaling.testing.ServerProcess;
import io.generalbots.scaling.testing.TestLxd;
import io.generalbots.scaling.testing.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed's cluster, end to end on real components: botserver instances (the small botserver
 * {@link TestBotServer}, built on the library's {@link BotInstance}, on the host's JDK) in LXD
 * containers that the auto-scaler launches through {@link LxcInstanceManager}; a real Caddy in
 * front whose upstreams {@link CaddyUpstreamSync} keeps in step through its admin API; two scaler
 * replicas electing a leader on the real PostgreSQL. A load generator on loopback drives requests
 * through Caddy: the load rises, the leader scales up and Caddy spreads the requests over the new
 * instances; the leader is killed (its scheduler stopped, its database session terminated) and the
 * other replica takes over; the load falls and the new leader drains (through the instances'
 * control endpoint, with the shared token) and destroys instances. No request may fail, and no
 * container of the test may outlive it.
 *
 * <p>Engine time is real but short, through config: checks every second, 5 s cooldown, 8 s
 * down-stabilization; the other keys keep the seed's values. The instances report what their
 * {@link BotInstance} meters: requests per minute over a {@value #WINDOW_SECONDS} s window, and
 * {@code cpu} from TestBotServer's capacity model (requests/min × 100 / {@value #CAPACITY_RPM}).
 * {@value #HIGH_RPS} requests/s is far over the seed's {@code scale-request-threshold} of 1000 per
 * instance and 150 % cpu on one instance (so up to the maximum, 3); {@value #LOW_RPS}/s is far
 * under every threshold on three (so back to one).
 */
class LxdClusterScalingIT {

    static final String PREFIX = TestLxd.uniquePrefix("gbe2e");
    static final String PROFILE = PREFIX + "java";
    static final int CAPACITY_RPM = 4800;
    static final int WINDOW_SECONDS = 5;
    static final int HIGH_RPS = 120;
    static final int LOW_RPS = 4;
    static final Duration CHECK = Duration.ofSeconds(1);
    static final String TOKEN = "e2e-" + PREFIX + "control-token";

    static ServerProcess caddy;
    static final List<Replica> replicas = new CopyOnWriteArrayList<>();
    static LoadGenerator load;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** One scaler replica: what a botserver instance linking the library runs. */
    record Replica(String name, AutoScaler scaler, Tracked election, ScheduledExecutorService scheduler) {
    }

    /** Records when the election it wraps starts and stops leading. */
    static final class Tracked implements LeaderElection {
        final LeaderElection inner;
        volatile long leadingSince = -1;

        Tracked(LeaderElection inner) {
            this.inner = inner;
        }

        @Override
        public boolean tryLead() {
            boolean leads = inner.tryLead();
            if (leads && leadingSince < 0) {
                leadingSince = System.nanoTime();
            } else if (!leads) {
                leadingSince = -1;
            }
            return leads;
        }

        @Override
        public boolean stillLeads() {
            return inner.stillLeads();
        }

        @Override
        public long fencingToken() {
            return inner.fencingToken();
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    @BeforeAll
    static void realComponents() {
        TestLxd.require();
        ServerProcess.requireBinary("caddy");
        TestPostgres.host();
    }

    @AfterAll
    static void removeEverything() {
        try {
            if (load != null) {
                load.close();
            }
            for (Replica r : replicas) {
                r.scheduler().shutdownNow();
                r.scaler().close();
            }
            if (caddy != null) {
                caddy.close();
            }
        } finally {
            TestLxd.deleteContainers(PREFIX);
            TestLxd.deleteProfile(PROFILE);
        }
        assertThat(TestLxd.containers(PREFIX)).as("containers of the test left behind").isEmpty();
    }

    @Test
    void theElectedScalerGrowsAndShrinksLxdContainersBehindCaddyWithoutAFailedRequest() throws Exception {
        long t0 = System.nanoTime();
        String classPath = TestLxd.createJavaProfile(PROFILE, TestLxd.classPathOf(TestBotServer.class,
                BotInstance.class, BotConfig.class, com.fasterxml.jackson.databind.ObjectMapper.class,
                com.fasterxml.jackson.core.JsonFactory.class, com.fasterxml.jackson.annotation.JsonProperty.class,
                org.apache.commons.csv.CSVFormat.class, org.apache.commons.io.IOUtils.class,
                org.apache.commons.codec.binary.Hex.class, org.slf4j.LoggerFactory.class));
        // the instances' config.csv, pushed where the seed pushes botserver.env: the control token
        Path botConfig = Files.createDirectories(Path.of("target", "lxd-e2e")).resolve("config.csv").toAbsolutePath();
        Files.writeString(botConfig, "name,value\nscale-control-token," + TOKEN + "\n");
        int site = FreePorts.find();
        HostAndPort admin = new HostAndPort("127.0.0.1", FreePorts.find());
        startCaddy(site, admin);

        Map<String, String> keys = new java.util.HashMap<>(Map.of("scale-enabled", "true", "scale-min-instances", "1",
                "scale-max-instances", "3", "scale-cpu-threshold", "70",
                "scale-check-interval", Long.toString(CHECK.toSeconds()), "scale-cooldown-seconds", "5",
                "scale-down-stabilization-seconds", "8", "scale-drain-seconds", "10",
                "scale-leader-election", "postgres",
                "scale-leader-url", TestPostgres.url("postgres") + "?user=" + TestPostgres.user() + "&password="
                        + TestPostgres.password()));
        keys.put("scale-leader-key", "gb-e2e-" + PREFIX);
        keys.put("scale-control-token", TOKEN);
        BotConfig config = BotConfig.of(keys);
        ScalingSettings settings = ScalingSettings.from(config);
        List<ScalingEvent> events = new CopyOnWriteArrayList<>();
        Set<String> served = ConcurrentHashMap.newKeySet();
        for (String name : List.of("scaler-a", "scaler-b")) {
            replicas.add(replica(name, settings, config, classPath, botConfig, admin, events, served));
        }

        // the leader launches the first instance (scale-min-instances) and puts it into Caddy
        await("the first instance serves through Caddy", Duration.ofSeconds(60), events,
                () -> TestLxd.containers(PREFIX).size() == 1 && status(site, "/api/work") == 200);
        Replica first = leader();
        load = new LoadGenerator(URI.create("http://127.0.0.1:" + site + "/api/work"), 12, LOW_RPS,
                Duration.ofMinutes(3), 60_000);
        Thread.sleep(3_000);

        load.rate(HIGH_RPS);
        await("three instances after the load rose", Duration.ofSeconds(60), events,
                () -> TestLxd.containers(PREFIX).size() == 3
                        && events.stream().anyMatch(e -> e instanceof ScalingEvent.ScaledUp u && u.to() == 3));
        await("Caddy sends requests to every instance", Duration.ofSeconds(20), events,
                () -> served.containsAll(TestLxd.containers(PREFIX)));
        // behind Caddy and the proxy devices every caller is loopback to botserver: only the token counts
        assertThat(status(site, "/api/instance/drain", "POST")).as("a stranger's drain through Caddy").isEqualTo(403);
        assertThat(leader()).isEqualTo(first);

        Replica other = replicas.stream().filter(r -> r != first).findFirst().orElseThrow();
        long killedAt = System.nanoTime();
        kill(first);
        // PostgreSQL frees the advisory lock with the session: the next check of the other replica takes it
        Duration bound = LeaderElection.takeoverBound(LeaderSettings.from(config), CHECK).plusSeconds(9);
        await("the other replica leads", bound, events, () -> other.election().leadingSince > 0);
        double takeover = (other.election().leadingSince - killedAt) / 1e9;
        System.out.printf("e2e: %s killed, %s leads after %.2f s%n", first.name(), other.name(), takeover);
        Thread.sleep(2_000);

        load.rate(LOW_RPS);
        await("one instance after the load fell", Duration.ofSeconds(60), events,
                () -> TestLxd.containers(PREFIX).size() == 1
                        && events.stream().anyMatch(e -> e instanceof ScalingEvent.ScaledDown d && d.to() == 1));
        Thread.sleep(2_000);
        load.close();

        List<String> summary = events.stream().filter(e -> !(e instanceof ScalingEvent.MaxInstancesReached))
                .map(LxdClusterScalingIT::describe).toList();
        System.out.printf("e2e: %d requests ok, %d failed, %.1f s; events:%n  %s%n", load.ok(), load.failed(),
                (System.nanoTime() - t0) / 1e9, String.join("\n  ", summary));
        System.out.println("e2e: requests answered per second: " + load.okPerSecond());
        assertThat(load.failures()).as("failed requests through Caddy").isEmpty();
        assertThat(load.ok()).isGreaterThan(1000);
        assertThat(events).filteredOn(e -> e instanceof ScalingEvent.ScaledUp)
                .allMatch(e -> e.scaler().equals(first.name()));
        assertThat(events).filteredOn(e -> e instanceof ScalingEvent.ScaledDown)
                .isNotEmpty().allMatch(e -> e.scaler().equals(other.name()));
        assertThat(events).noneMatch(e -> e instanceof ScalingEvent.ScalingFailed);
        // once the scalers stopped, what Caddy routes to is what LXD has
        for (Replica r : replicas) {
            r.scheduler().shutdown();
            assertThat(r.scheduler().awaitTermination(60, TimeUnit.SECONDS)).as(r.name() + " stops").isTrue();
        }
        Set<HostAndPort> upstreams = new java.util.HashSet<>();
        CaddyUpstreamSync.of(admin).upstreamStatus().forEach(u -> upstreams.add(HostAndPort.parse(
                u.path("address").asText(), 0)));
        assertThat(upstreams).containsExactlyInAnyOrderElementsOf(LxcInstanceManager.custom(new ProcessCommandRunner(
                Duration.ofMinutes(1))).prefix(PREFIX).build().list().stream().map(i -> i.address()).toList());
    }

    private Replica replica(String name, ScalingSettings settings, BotConfig config, String classPath,
                            Path botConfig, HostAndPort admin, List<ScalingEvent> events, Set<String> served) {
        LxcInstanceManager manager = LxcInstanceManager.custom(new ProcessCommandRunner(Duration.ofMinutes(2)))
                .prefix(PREFIX).image(TestLxd.IMAGE).profiles("default", PROFILE)
                .limitsCpu(1).limitsMemory("256MB").envFile(botConfig.toString(), "/opt/gbo/conf/")
                .startCommand(List.of(TestLxd.JAVA, "-Xmx48m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                        classPath, TestBotServer.class.getName(), "8080", "--config", "/opt/gbo/conf/config.csv",
                        "--capacity", Integer.toString(CAPACITY_RPM), "--window-seconds",
                        Integer.toString(WINDOW_SECONDS), "--threads", "8"))
                .control(InstanceControlClient.of(InstanceSettings.from(config), HealthSettings.from(config)))
                .proxyListen("127.0.0.1", 21000, 40000)
                .startTimeout(Duration.ofSeconds(60), Duration.ofMillis(100)).build();
        Tracked election = new Tracked(LeaderElection.of(LeaderSettings.from(config), name, Ticker.system()));
        AutoScaler scaler = AutoScaler.custom(settings, manager,
                        new HealthEndpointMetricsSource(http, "/api/health", Duration.ofSeconds(2)))
                .name(name).leaderElection(election).upstreamsListener(CaddyUpstreamSync.of(admin))
                .listener(new ScalingListener() {
                    @Override
                    public void onEvent(ScalingEvent event) {
                        events.add(event);
                    }

                    @Override
                    public void onCheck(int instances, Map<String, InstanceMetrics> metrics) {
                        System.out.printf("%s check by %s: %d instance(s), cpu %s%n", java.time.LocalTime.now(), name,
                                instances, new java.util.TreeMap<>(metrics.entrySet().stream().collect(
                                        Collectors.toMap(Map.Entry::getKey, e -> e.getValue().cpuPercent()))));
                        metrics.forEach((id, m) -> {
                            if (m.cpuPercent() > 0) {
                                served.add(id);
                            }
                        });
                    }
                }).build();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        scaler.start(scheduler);
        return new Replica(name, scaler, election, scheduler);
    }

    /** A crash of the leader: its loop stops and PostgreSQL ends its session, freeing the lock. */
    private static void kill(Replica leader) throws Exception {
        leader.scheduler().shutdownNow();
        try (Connection c = TestPostgres.connect("postgres");
             PreparedStatement s = c.prepareStatement("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                     + "WHERE application_name = ?")) {
            s.setString(1, "gb-scaler " + leader.name());
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).as("the leader's database session").isTrue();
            }
        }
    }

    private static Replica leader() {
        return replicas.stream().filter(r -> r.election().leadingSince > 0).findFirst()
                .orElseThrow(() -> new AssertionError("no replica leads"));
    }

    private static void startCaddy(int site, HostAndPort admin) throws IOException {
        String caddyBinary = ServerProcess.requireBinary("caddy");
        // until the scaler's first instance, a placeholder nobody listens on. No active health checks:
        // the scaler keeps the upstreams in step and drains before it removes, and with them Caddy 2.6
        // answers 503 to requests in flight when a config change cancels a check (CaddyUpstreamSync);
        // passive checks and lb_try_duration still route around an instance that fails
        String text = Caddyfile.custom().site("http://127.0.0.1:" + site).bind("127.0.0.1").admin(admin)
                .upstreams(List.of(new HostAndPort("127.0.0.1", 1)))
                .health(new HealthSettings(false, "/api/health", Duration.ofSeconds(1), Duration.ofSeconds(1), 0))
                .tryDuration(Duration.ofSeconds(5)).failDuration(Duration.ofSeconds(2)).build().render();
        Path dir = Files.createDirectories(Path.of("target", "caddy-e2e").toAbsolutePath());
        Path file = dir.resolve("Caddyfile");
        Files.writeString(file, text);
        caddy = new ServerProcess("caddy-e2e", List.of("env", "XDG_CONFIG_HOME=" + dir.resolve("config"),
                "XDG_DATA_HOME=" + dir.resolve("data"), caddyBinary, "run", "--config", file.toString(),
                "--adapter", "caddyfile")).launch();
        HttpClient client = HttpClient.newHttpClient();
        caddy.awaitReady("admin API", () -> {
            try {
                return client.send(HttpRequest.newBuilder(URI.create("http://" + admin + "/config/")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }, Duration.ofSeconds(30));
    }

    private int status(int site, String path) {
        return status(site, path, "GET");
    }

    private int status(int site, String path, String method) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + site + path))
                    .timeout(Duration.ofSeconds(5)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void await(String what, Duration timeout, List<ScalingEvent> events, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what + "; containers: "
                        + TestLxd.containers(PREFIX) + "; events:\n  " + events.stream()
                        .map(LxdClusterScalingIT::describe).collect(Collectors.joining("\n  ")));
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    private static String describe(ScalingEvent e) {
        if (e instanceof ScalingEvent.ScaledUp u) {
            return u.scaler() + " [term " + u.fencingToken() + "] up " + u.from() + " -> " + u.to() + " (" + u.reason()
                    + ")";
        }
        if (e instanceof ScalingEvent.ScaledDown d) {
            return d.scaler() + " [term " + d.fencingToken() + "] down " + d.from() + " -> " + d.to() + " ("
                    + d.reason() + ")";
        }
        return e.toString();
    }
}
