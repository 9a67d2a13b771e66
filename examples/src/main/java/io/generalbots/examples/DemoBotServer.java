package io.generalbots.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import io.generalbots.autoscale.serving.jdk.JdkHttpInstance;
import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigProblem;
import io.generalbots.scaling.config.ConfigReport;
import io.generalbots.scaling.health.HealthSettings;

/**
 * A small botserver stand-in on the JDK {@link HttpServer} that shows the whole library at work.
 * It loads a {@code config.csv} (by default the seed's settings, embedded), prints what
 * {@code gb-scale check} prints, serves {@code /api/health}, an echoing {@code /api/chat} and
 * {@code /metrics} (Prometheus) with every module's {@link DemoFeature} installed, sends itself a few
 * requests (the tour), then serves until stopped. The library's {@code BotInstance} is linked in: every {@code /api/*} route
 * but health and control is metered and drained, {@code POST /api/instance/drain} drains it (from
 * loopback, or with {@code scale-control-token}), and on Ctrl-C it drains before it stops.
 *
 * <pre>
 * java -jar examples/target/gb-demo.jar [--port 8080] [--config config.csv] [--exit-after-tour]
 * </pre>
 */
public final class DemoBotServer implements AutoCloseable {

    /** The version reported by the health endpoint. */
    static final String VERSION = "6.1.0";

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<DemoFeature> features;
    private final DemoContext context;

    private DemoBotServer(HttpServer server, ExecutorService executor, List<DemoFeature> features, DemoContext context) {
        this.server = server;
        this.executor = executor;
        this.features = features;
        this.context = context;
    }

    /**
     * Runs the demo.
     *
     * @param args {@code [--port N] [--config FILE] [--exit-after-tour]}
     * @throws Exception if the demo cannot start
     */
    public static void main(String[] args) throws Exception {
        int port = 8080;
        Path configFile = null;
        boolean exitAfterTour = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--config" -> configFile = Path.of(args[++i]);
                case "--exit-after-tour" -> exitAfterTour = true;
                case "-h", "--help" -> {
                    System.out.println("usage: gb-demo [--port N (default 8080, 0 = any free)] [--config FILE] "
                            + "[--exit-after-tour]");
                    return;
                }
                default -> {
                    System.err.println("gb-demo: unknown argument " + args[i] + " (try --help)");
                    System.exit(2);
                }
            }
        }
        BotConfig config = configFile == null ? embeddedConfig() : BotConfig.load(configFile);
        PrintStream out = System.out;
        if (!printCheck(config, out)) {
            System.exit(2);
        }
        try (DemoBotServer demo = start(config, port, out)) {
            out.println();
            out.println("Serving on http://127.0.0.1:" + demo.port() + " (health at /api/health, chat at /api/chat,"
                    + " Prometheus metrics at /metrics)");
            demo.tour();
            if (exitAfterTour) {
                out.println("Tour done; exiting (--exit-after-tour).");
                return;
            }
            out.println("Tour done; serving until stopped (Ctrl-C).");
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    demo.context.instance().drainAndAwait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                stop.countDown();
            }));
            stop.await();
        }
    }

    /**
     * The embedded sample config.csv: the seed chapter's settings, without external servers.
     *
     * @return the config
     * @throws IOException if the resource is missing
     */
    public static BotConfig embeddedConfig() throws IOException {
        try (InputStream in = DemoBotServer.class.getResourceAsStream("demo-config.csv")) {
            if (in == null) {
                throw new IOException("demo-config.csv is missing from the demo jar");
            }
            return BotConfig.parse("demo-config.csv", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /**
     * Prints what {@code gb-scale check} prints: every effective setting, then every problem.
     *
     * @param config the config
     * @param out    where to print
     * @return whether the config is valid
     */
    static boolean printCheck(BotConfig config, PrintStream out) {
        ConfigReport report = config.validate(false);
        out.println("Effective settings of " + config.source() + ":");
        for (ConfigReport.Setting setting : report.effectiveSettings()) {
            out.println("  " + setting);
        }
        for (ConfigProblem problem : report.problems()) {
            out.println(problem);
        }
        return !report.hasErrors();
    }

    /**
     * Installs every feature and starts serving.
     *
     * @param config the config
     * @param port   the port, 0 for any free one
     * @param out    where to print
     * @return the running demo
     * @throws Exception if a feature cannot be installed or the port is taken
     */
    public static DemoBotServer start(BotConfig config, int port, PrintStream out) throws Exception {
        DemoContext context = new DemoContext(config, out, (user, message) -> "echo: " + message);
        List<DemoFeature> installed = new ArrayList<>();
        try {
            for (DemoFeature feature : DemoFeatures.all()) {
                feature.install(context);
                installed.add(feature);
            }
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
            JdkHttpInstance instance = JdkHttpInstance.of(context.instance());
            String health = HealthSettings.from(config).endpoint();
            for (Map.Entry<String, HttpHandler> route : context.routes().entrySet()) {
                HttpContext http = server.createContext(route.getKey(), route.getValue());
                if (route.getKey().startsWith("/api/")) {
                    if (!route.getKey().equals(health)) {
                        http.getFilters().add(instance.filter());    // metered; refused while draining
                    }
                    http.getFilters().addAll(context.apiFilters());
                }
            }
            instance.installControl(server);
            ExecutorService executor = Executors.newFixedThreadPool(16);
            server.setExecutor(executor);
            server.start();
            context.port(server.getAddress().getPort());
            return new DemoBotServer(server, executor, installed, context);
        } catch (Exception | Error e) {
            installed.forEach(DemoFeature::close);
            throw e;
        }
    }

    /**
     * Runs every feature's tour steps.
     *
     * @throws Exception if a step fails
     */
    public void tour() throws Exception {
        DemoTour tour = new DemoTour(port(), context.out());
        for (DemoFeature feature : features) {
            context.out().println();
            feature.tour(tour);
        }
    }

    /**
     * The registry whose meters {@code /metrics} serves (for a host, or a test, to bind more).
     *
     * @return the registry
     */
    public io.micrometer.prometheusmetrics.PrometheusMeterRegistry meters() {
        return context.meters();
    }

    /**
     * The port served on.
     *
     * @return the port
     */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        for (int i = features.size() - 1; i >= 0; i--) {
            features.get(i).close();
        }
    }
}
