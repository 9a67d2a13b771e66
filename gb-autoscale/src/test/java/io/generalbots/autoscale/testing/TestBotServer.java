package io.generalbots.autoscale.testing;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.generalbots.autoscale.serving.BotInstance;
import io.generalbots.autoscale.serving.InstanceConfig;
import io.generalbots.autoscale.serving.InstanceSettings;
import io.generalbots.autoscale.serving.jdk.JdkHttpInstance;
import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.health.HealthReport;
import io.generalbots.scaling.health.HealthSettings;
import io.generalbots.scaling.health.HealthStatus;

/**
 * A small botserver built on the library, the worker that the scaling tests and the demo launch
 * as real processes (locally, or inside LXD containers): the JDK {@link HttpServer} with a
 * {@link BotInstance} linked in through {@link JdkHttpInstance}.
 *
 * <pre>
 * java -cp CLASSPATH io.generalbots.autoscale.testing.TestBotServer PORT
 *      [--capacity RPM] [--work-ms MS] [--threads N] [--window-seconds S]
 *      [--config config.csv] [--bind ADDRESS] [--name NAME]
 * </pre>
 *
 * <ul>
 *   <li>{@code GET|POST /api/work}: one request of the bot, metered and drained; it takes
 *       {@code --work-ms} (default 0) and answers 200 {@code ok};</li>
 *   <li>{@code GET /api/ping}: 200 {@code pong}, not metered (for "is it up" probes);</li>
 *   <li>{@code health-endpoint} (default {@code /api/health}, with {@code /ready} and {@code /live}):
 *       the seed's health JSON with the instance's figures; {@code cpu} is simulated when
 *       {@code --capacity} is given (requests per minute × 100 / RPM, at most 100: the simulator's
 *       capacity model), else the JVM's view of the machine;</li>
 *   <li>{@code POST /api/instance/drain} (and {@code GET}): the control endpoint, for loopback
 *       callers or with {@code scale-control-token} from {@code --config}.</li>
 * </ul>
 * {@code --threads} (default 16) threads serve; requests waiting for one are the
 * {@code queue_depth}. {@code --window-seconds} (default 60) is the meter's window. PORT 0 picks
 * a free port; the line {@code TestBotServer NAME listening on HOST:PORT} is printed once it
 * serves. On SIGTERM it drains, waits up to {@code scale-drain-seconds} for requests in flight,
 * and stops.
 */
public final class TestBotServer implements AutoCloseable {

    /** The version its health report shows. */
    public static final String VERSION = "6.1.0";

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final JdkHttpInstance adapter;

    private TestBotServer(HttpServer server, ThreadPoolExecutor executor, JdkHttpInstance adapter) {
        this.server = server;
        this.executor = executor;
        this.adapter = adapter;
    }

    /**
     * What to start.
     *
     * @param bind          the address to listen on
     * @param port          the port, 0 for a free one
     * @param capacityRpm   requests per minute at 100 % simulated CPU, or 0 for the JVM's CPU
     * @param workMillis    time each {@code /api/work} request takes
     * @param threads       serving threads
     * @param windowSeconds the meter's window
     * @param config        the bot's configuration
     * @param name          the instance's name
     */
    public record Options(String bind, int port, long capacityRpm, long workMillis, int threads, int windowSeconds,
                          BotConfig config, String name) {

        /**
         * Checks the options.
         *
         * @param bind          address
         * @param port          port
         * @param capacityRpm   capacity
         * @param workMillis    work
         * @param threads       threads
         * @param windowSeconds window
         * @param config        configuration
         * @param name          name
         */
        public Options {
            Objects.requireNonNull(bind, "bind");
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(name, "name");
        }

        /**
         * The defaults on a port: loopback, JVM CPU, no work, 16 threads, a minute, default config.
         *
         * @param port the port
         * @return the options
         */
        public static Options on(int port) {
            return new Options("127.0.0.1", port, 0, 0, 16, 60, BotConfig.ofDefaults(), "test-bot-" + port);
        }

        /**
         * A copy with another capacity.
         *
         * @param rpm requests per minute at 100 % CPU
         * @return the copy
         */
        public Options capacity(long rpm) {
            return new Options(bind, port, rpm, workMillis, threads, windowSeconds, config, name);
        }

        /**
         * A copy with another work time.
         *
         * @param millis per request
         * @return the copy
         */
        public Options work(long millis) {
            return new Options(bind, port, capacityRpm, millis, threads, windowSeconds, config, name);
        }

        /**
         * A copy with another thread count.
         *
         * @param n threads
         * @return the copy
         */
        public Options threads(int n) {
            return new Options(bind, port, capacityRpm, workMillis, n, windowSeconds, config, name);
        }

        /**
         * A copy with another meter window.
         *
         * @param seconds 1..60
         * @return the copy
         */
        public Options window(int seconds) {
            return new Options(bind, port, capacityRpm, workMillis, threads, seconds, config, name);
        }

        /**
         * A copy with another configuration.
         *
         * @param botConfig the configuration
         * @return the copy
         */
        public Options config(BotConfig botConfig) {
            return new Options(bind, port, capacityRpm, workMillis, threads, windowSeconds, botConfig, name);
        }
    }

    /**
     * Starts a server in this JVM.
     *
     * @param o the options
     * @return the running server
     * @throws IOException if the port is taken
     */
    public static TestBotServer start(Options o) throws IOException {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(o.threads(), o.threads(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>());
        BotInstance instance = BotInstance.of(InstanceConfig.from(InstanceSettings.from(o.config()))
                .name(o.name()).meterWindow(Duration.ofSeconds(o.windowSeconds()))
                .queueDepth(JdkHttpInstance.queueDepthOf(executor)).build());
        JdkHttpInstance adapter = JdkHttpInstance.of(instance);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(o.bind()), o.port()), 256);
        long work = o.workMillis();
        server.createContext("/api/work", exchange -> {
            if (work > 0) {
                try {
                    Thread.sleep(work);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            send(exchange, 200, "ok");
        }).getFilters().add(adapter.filter());
        server.createContext("/api/ping", exchange -> send(exchange, 200, "pong"));
        adapter.installControl(server);
        adapter.installHealth(server, HealthSettings.from(o.config()).endpoint(), base(o, instance));
        server.setExecutor(executor);
        server.start();
        return new TestBotServer(server, executor, adapter);
    }

    private static Supplier<HealthReport> base(Options o, BotInstance instance) {
        Supplier<HealthReport> jvm = JdkHttpInstance.basicReport(VERSION);
        if (o.capacityRpm() <= 0) {
            return jvm;
        }
        return () -> {
            HealthReport r = jvm.get();
            double cpu = Math.min(100, instance.load().requestsPerMinute() * 100.0 / o.capacityRpm());
            return new HealthReport(HealthStatus.HEALTHY, r.version(), r.uptime(), Map.of(),
                    new HealthReport.Metrics(cpu, r.metrics().memory(), 0));
        };
    }

    /**
     * The port served on.
     *
     * @return the port
     */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * The instance linked in.
     *
     * @return the instance
     */
    public BotInstance instance() {
        return adapter.instance();
    }

    /** Stops at once (no drain). */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /**
     * Drains, waits for requests in flight up to {@code scale-drain-seconds}, and stops.
     *
     * @return true if every request in flight finished
     */
    public boolean shutdown() {
        boolean done = adapter.shutdown(server);
        executor.shutdownNow();
        return done;
    }

    /**
     * Runs a server until SIGTERM (then drains and stops).
     *
     * @param args {@code PORT [--capacity RPM] [--work-ms MS] [--threads N] [--window-seconds S]
     *             [--config FILE] [--bind ADDRESS] [--name NAME]}
     * @throws Exception if it cannot start
     */
    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("TestBotServer: " + e.getMessage());
            System.err.println("usage: TestBotServer PORT [--capacity RPM] [--work-ms MS] [--threads N] "
                    + "[--window-seconds S] [--config FILE] [--bind ADDRESS] [--name NAME]");
            System.exit(2);
            return;
        }
        TestBotServer server = start(o);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            stopped.countDown();
        }, "test-bot-shutdown"));
        PrintStream out = System.out;
        out.println("TestBotServer " + o.name() + " listening on " + o.bind() + ":" + server.port());
        out.flush();
        stopped.await();
    }

    static Options parse(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("PORT is missing");
        }
        int port = number("PORT", args[0], 0, 65535);
        Options o = Options.on(port);
        String bind = o.bind();
        String name = null;
        for (int i = 1; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String v = args[++i];
            switch (flag) {
                case "--capacity" -> o = o.capacity(number(flag, v, 1, Integer.MAX_VALUE));
                case "--work-ms" -> o = o.work(number(flag, v, 0, 3_600_000));
                case "--threads" -> o = o.threads(number(flag, v, 1, 1000));
                case "--window-seconds" -> o = o.window(number(flag, v, 1, 60));
                case "--config" -> o = o.config(BotConfig.load(Path.of(v)));
                case "--bind" -> bind = v;
                case "--name" -> name = v;
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        return new Options(bind, port, o.capacityRpm(), o.workMillis(), o.threads(), o.windowSeconds(), o.config(),
                name != null ? name : "test-bot-" + port);
    }

    private static int number(String what, String v, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a whole number from " + min + " to " + max
                    + ", but was " + v, e);
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(what + " must be a whole number from " + min + " to " + max
                    + ", but was " + v);
        }
        return n;
    }

    private static void send(HttpExchange exchange, int code, String body) throws IOException {
        try (exchange) {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(code, b.length);
            exchange.getResponseBody().write(b);
        }
    }
}
