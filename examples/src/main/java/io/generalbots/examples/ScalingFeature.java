package io.generalbots.examples;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;


import io.generalbots.autoscale.AutoScaler;
import io.generalbots.autoscale.HealthEndpointMetricsSource;
import io.generalbots.autoscale.LeaderElection;
import io.generalbots.autoscale.LeaderSettings;
import io.generalbots.autoscale.MetricsSettings;
import io.generalbots.autoscale.ScalingEvent;
import io.generalbots.autoscale.ScalingMetrics;
import io.generalbots.autoscale.ScalingSettings;
import io.generalbots.autoscale.instance.Instance;
import io.generalbots.autoscale.instance.InstanceControlClient;
import io.generalbots.autoscale.instance.LocalProcessInstanceManager;
import io.generalbots.autoscale.testing.TestBotServer;
import io.generalbots.scaling.config.HostAndPort;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The auto-scaler on local processes. With {@code scale-enabled,true} the tour launches one
 * worker process (a small botserver with the library's {@code BotInstance} linked in, the same one
 * the local-process tests scale: {@link TestBotServer}), sends a short load burst, and lets the
 * engine scale real processes up on the load the workers report (their CPU is simulated from the
 * requests per minute their {@code BotInstance} meters: 300/min is 100 %) and, once the load stops,
 * drain them through their control endpoint and stop them, printing every decision. The election is
 * the file's ({@code scale-leader-election,single} in the seed config: this demo is the only
 * scaler); without one the scaler refuses to start and the tour says why. Demo time is compressed: engine time runs 30 s per check
 * (a demo cannot wait for a 300 s cooldown), the workers meter over a 10-second window scaled to a
 * minute, and the cluster is capped at 3 processes.
 */
final class ScalingFeature implements DemoFeature {

    private static final int DEMO_MAX = 3;
    private static final Duration WINDOW = Duration.ofSeconds(10);

    private ScalingSettings settings;
    private LeaderSettings leader;
    private MetricsSettings metrics;
    private MeterRegistry meters;

    @Override
    public String name() {
        return "auto-scaling";
    }

    @Override
    public void install(DemoContext demo) {
        settings = ScalingSettings.from(demo.config());
        leader = LeaderSettings.from(demo.config());
        metrics = MetricsSettings.from(demo.config());
        meters = demo.meters();
    }

    @Override
    public void tour(DemoTour tour) throws Exception {
        tour.say("auto-scaling:");
        if (!settings.enabled()) {
            tour.say("  scale-enabled is false; to watch it scale local processes run"
                    + " scripts/demo --config examples/config/seed-config.csv (it has scale-enabled,true)");
            return;
        }
        ScalingSettings s = settings.toBuilder().enabled(true)
                .maxInstances(Math.min(DEMO_MAX, settings.maxInstances())).build();
        if (leader.kind() == LeaderSettings.Kind.NONE) {
            tour.say("  the scaler refuses to start: " + LeaderSettings.NOT_ELECTED);
            return;
        }
        AtomicLong nanos = new AtomicLong();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx32m", "-cp", System.getProperty("java.class.path"),
                TestBotServer.class.getName(), "{port}", "--capacity", "300", "--window-seconds",
                Long.toString(WINDOW.toSeconds()));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        List<HostAndPort> upstreams = new ArrayList<>();
        try (LocalProcessInstanceManager manager = new LocalProcessInstanceManager(command,
                InstanceControlClient.of(Duration.ofSeconds(5)), null, nanos::get)) {
            for (int i = 0; i < s.minInstances(); i++) {
                upstreams.add(manager.launch().address());
            }
            AutoScaler scaler = AutoScaler.custom(s, manager,
                            new HealthEndpointMetricsSource(http, "/api/health", Duration.ofSeconds(5)))
                    .name("demo").ticker(nanos::get)
                    .leaderElection(LeaderElection.of(leader, "demo", nanos::get))
                    .listener(e -> tour.say("  event: " + describe(e)))
                    .upstreamsListener(list -> {
                        upstreams.clear();
                        upstreams.addAll(list);
                        tour.say("  upstreams now " + list);
                    }).build();
            ScalingMetrics.of(scaler).settings(metrics).bindTo(meters);
            for (int check = 0; check < 24; check++) {
                boolean burst = check < 5;
                for (Instance i : manager.list()) {
                    awaitUp(http, i.address());
                }
                if (burst) {
                    for (int r = 0; r < 120; r++) {
                        get(http, upstreams.get(r % upstreams.size()), "/api/work");
                    }
                } else if (check == 5) {
                    Thread.sleep(WINDOW.toMillis() + 100);          // the workers' meter window empties
                }
                var rec = scaler.check().orElseThrow();
                tour.say(String.format("  t=%3ds %s: %d instance(s), wants %d (%s)", nanos.get() / 1_000_000_000L,
                        burst ? "burst 120 requests" : "idle", manager.list().size() - scaler.draining().size(),
                        rec.desired(), rec.rule()));
                if (!burst && manager.list().size() == s.minInstances()) {
                    break;
                }
                nanos.addAndGet(s.checkInterval().toNanos());
            }
        }
    }

    private static String describe(ScalingEvent e) {
        if (e instanceof ScalingEvent.ScaledUp u) {
            return "ScaledUp " + u.from() + " -> " + u.to() + " by " + u.rule() + ": " + u.reason();
        }
        if (e instanceof ScalingEvent.ScaledDown d) {
            return "ScaledDown " + d.from() + " -> " + d.to() + " by " + d.rule() + ": " + d.reason();
        }
        if (e instanceof ScalingEvent.MaxInstancesReached m) {
            return "MaxInstancesReached: wants " + m.wanted() + ", max " + m.max();
        }
        return e.toString();
    }

    private static void awaitUp(HttpClient http, HostAndPort address) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (get(http, address, "/api/ping")) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("worker " + address + " did not start within 30 s");
    }

    private static boolean get(HttpClient http, HostAndPort address, String path) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://" + address + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }
}
