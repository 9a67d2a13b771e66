package io.generalbots.autoscale.serving.jdk;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import io.generalbots.autoscale.serving.BotInstance;
import io.generalbots.scaling.Checks;
import io.generalbots.scaling.health.HealthReport;
import io.generalbots.scaling.health.HealthStatus;

/**
 * A {@link BotInstance} on the JDK {@link HttpServer}: a {@link Filter} for the application's
 * contexts, the control endpoint, and (for a server without gb-failover's health aggregator) a
 * health endpoint.
 *
 * <pre>{@code
 * BotInstance instance = BotInstance.of(InstanceSettings.from(config));
 * JdkHttpInstance http = JdkHttpInstance.of(instance);
 * server.createContext("/api/chat", chat).getFilters().add(http.filter());   // metered, drained
 * http.installControl(server);                                               // POST /api/instance/drain
 * // health: gb-failover's HealthHttpHandler with aggregator builder .instance(instance), or
 * http.installHealth(server, "/api/health", JdkHttpInstance.basicReport("6.1.0"));
 * Runtime.getRuntime().addShutdownHook(new Thread(() -> http.shutdown(server)));
 * }</pre>
 *
 * <p>The filter admits each request through {@link BotInstance#admit()} and ends its ticket with
 * the response code once the handler returns (500 if the handler throws or sent nothing). While
 * the instance drains it answers {@code 503} with {@code Retry-After},
 * {@code Connection: close} and {@code {"error":"draining","retry_after":N}}, without calling the
 * handler.
 *
 * <p>Control endpoint ({@code controlPath}, default {@code /api/instance}), every answer JSON and
 * not cached, every request first checked with {@link BotInstance#mayControl} (403
 * {@code {"error":"forbidden"}} otherwise):
 * <ul>
 *   <li>{@code POST /api/instance/drain}: starts the drain; 202
 *       {@code {"state":"draining","inflight":N}} (or {@code drained}); idempotent;</li>
 *   <li>{@code GET /api/instance/drain}: 200 with the same body, {@code state} one of
 *       {@code serving}, {@code draining}, {@code drained};</li>
 *   <li>another method: 405 with {@code Allow}; another path: 404.</li>
 * </ul>
 */
public final class JdkHttpInstance {

    private final BotInstance instance;
    private final String controlPath;

    private JdkHttpInstance(BotInstance instance) {
        this.instance = instance;
        this.controlPath = instance.config().controlPath();
    }

    /**
     * The adapter of an instance.
     *
     * @param instance the instance
     * @return the adapter
     */
    public static JdkHttpInstance of(BotInstance instance) {
        return new JdkHttpInstance(Objects.requireNonNull(instance, "instance"));
    }

    /**
     * The instance.
     *
     * @return the instance
     */
    public BotInstance instance() {
        return instance;
    }

    /**
     * The filter that meters and drains an application context; add it to every context that
     * serves the bot's requests (not to health or control).
     *
     * @return the filter
     */
    public Filter filter() {
        return new Filter() {
            @Override
            public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
                BotInstance.Ticket ticket = instance.admit();
                if (ticket == null) {
                    refuse(exchange);
                    return;
                }
                try (ticket) {
                    chain.doFilter(exchange);
                    int code = exchange.getResponseCode();
                    ticket.end(code < 0 ? 500 : code);
                }
            }

            @Override
            public String description() {
                return "gb-scaling instance " + instance.name() + ": metering and drain";
            }
        };
    }

    private void refuse(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().set("Retry-After", Long.toString(instance.retryAfterSeconds()));
            exchange.getResponseHeaders().set("Connection", "close");
            send(exchange, 503, instance.drainingJson(),
                    "HEAD".equals(exchange.getRequestMethod()));
        }
    }

    /**
     * The control endpoint's handler, for a context at {@code controlPath}.
     *
     * @return the handler
     */
    public HttpHandler controlHandler() {
        return this::control;
    }

    /**
     * Registers the control endpoint at the configured {@code controlPath}.
     *
     * @param server the server
     * @return the context
     */
    public HttpContext installControl(HttpServer server) {
        return server.createContext(controlPath, controlHandler());
    }

    private void control(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            InetSocketAddress remote = exchange.getRemoteAddress();
            InetAddress address = remote == null ? null : remote.getAddress();
            if (!instance.mayControl(address, exchange.getRequestHeaders()::getFirst)) {
                send(exchange, 403, "{\"error\":\"forbidden\"}", false);
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (!path.equals(controlPath + "/drain")) {
                send(exchange, 404, "{\"error\":\"not found\"}", false);
            } else if ("POST".equals(method)) {
                instance.drain();
                send(exchange, 202, instance.stateJson(), false);
            } else if ("GET".equals(method) || "HEAD".equals(method)) {
                send(exchange, 200, instance.stateJson(), "HEAD".equals(method));
            } else {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD, POST");
                send(exchange, 405, "{\"error\":\"method not allowed\"}", false);
            }
        }
    }

    /**
     * A health endpoint for a server without gb-failover's aggregator: {@code ENDPOINT} and
     * {@code ENDPOINT/ready} serve {@code base.get().withInstance(instance)} (so {@code draining}
     * and 503 while the instance drains), {@code ENDPOINT/live} 200 while the process serves.
     * GET and HEAD only.
     *
     * @param endpoint the path, e.g. {@code /api/health}
     * @param base     the report before the instance's part, e.g. {@link #basicReport(String)}
     * @return the handler
     */
    public HttpHandler healthHandler(String endpoint, Supplier<HealthReport> base) {
        Checks.require(endpoint != null && endpoint.startsWith("/"), "endpoint", "a path starting with /", endpoint);
        Objects.requireNonNull(base, "base");
        String root = endpoint.length() > 1 && endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1)
                : endpoint;
        return exchange -> {
            try (exchange) {
                exchange.getResponseHeaders().set("Cache-Control", "no-store");
                String method = exchange.getRequestMethod();
                boolean head = "HEAD".equals(method);
                if (!head && !"GET".equals(method)) {
                    exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                    send(exchange, 405, "{\"error\":\"method not allowed\"}", false);
                    return;
                }
                String path = exchange.getRequestURI().getPath();
                if (path.equals(root) || path.equals(root + "/ready")) {
                    HealthReport report = base.get().withInstance(instance);
                    send(exchange, report.status().httpStatus(), report.toJson(), head);
                } else if (path.equals(root + "/live")) {
                    send(exchange, 200, "{\"status\":\"healthy\"}", head);
                } else {
                    send(exchange, 404, "{\"error\":\"not found\"}", head);
                }
            }
        };
    }

    /**
     * Registers {@link #healthHandler} at the endpoint.
     *
     * @param server   the server
     * @param endpoint the path, e.g. {@code /api/health}
     * @param base     the report before the instance's part
     * @return the context
     */
    public HttpContext installHealth(HttpServer server, String endpoint, Supplier<HealthReport> base) {
        String root = endpoint.length() > 1 && endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1)
                : endpoint;
        return server.createContext(root, healthHandler(endpoint, base));
    }

    /**
     * A report without dependency checks: {@code healthy}, the version, the JVM's uptime, and the
     * JVM's view of the container's or host's CPU and memory use (container-aware on Java 17).
     *
     * @param version the application's version
     * @return the supplier
     */
    public static Supplier<HealthReport> basicReport(String version) {
        Checks.require(version != null && !version.isBlank(), "version", "non-blank", version);
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return () -> {
            double cpu = 0;
            double memory = 0;
            if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
                double load = sun.getCpuLoad();
                cpu = load < 0 ? 0 : Math.min(100, load * 100);
                long total = sun.getTotalMemorySize();
                long free = sun.getFreeMemorySize();
                memory = total <= 0 ? 0 : Math.max(0, Math.min(100, 100.0 * (total - free) / total));
            }
            return new HealthReport(HealthStatus.HEALTHY, version,
                    ManagementFactory.getRuntimeMXBean().getUptime() / 1000, Map.of(),
                    new HealthReport.Metrics(cpu, memory, 0));
        };
    }

    /**
     * The queue depth of a server executor: the requests accepted and waiting for a thread (what
     * {@code InstanceConfig.custom().queueDepth(...)} takes).
     *
     * @param executor the executor given to {@link HttpServer#setExecutor}
     * @return the supplier
     */
    public static LongSupplier queueDepthOf(ThreadPoolExecutor executor) {
        Objects.requireNonNull(executor, "executor");
        return () -> executor.getQueue().size();
    }

    /**
     * Stops gracefully: drains, waits for the requests in flight up to {@code scale-drain-seconds},
     * then stops the server (closing what is left). For a shutdown hook.
     *
     * @param server the server
     * @return true if every request in flight finished in time
     */
    public boolean shutdown(HttpServer server) {
        boolean done;
        try {
            done = instance.drainAndAwait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done = false;
        }
        server.stop(0);
        return done;
    }

    private static void send(HttpExchange exchange, int status, String body, boolean head) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
