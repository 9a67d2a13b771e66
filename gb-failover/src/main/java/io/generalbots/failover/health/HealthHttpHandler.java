package io.generalbots.failover.health;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import io.generalbots.scaling.Checks;
import io.generalbots.scaling.health.HealthReport;

/**
 * Serves a {@link HealthAggregator}'s report on the JDK {@link HttpServer}, never waiting on a
 * check:
 * <ul>
 *   <li>{@code ENDPOINT} ({@code health-endpoint}, e.g. {@code /api/health}): the seed's JSON,
 *       200 when healthy or degraded, 503 when unhealthy;</li>
 *   <li>{@code ENDPOINT/ready}: the same report and code, for orchestrators' readiness probes
 *       and proxies (an open breaker makes it degraded, still 200);</li>
 *   <li>{@code ENDPOINT/live}: 200 {@code {"status":"healthy",...}} while the process serves;
 *       dependencies never make liveness fail (restarting would not fix them).</li>
 * </ul>
 * GET and HEAD only (405 otherwise); responses are {@code application/json} and not cached.
 *
 * <pre>{@code HealthHttpHandler.install(server, "/api/health", aggregator);}</pre>
 */
public final class HealthHttpHandler implements HttpHandler {


    private final String endpoint;
    private final HealthAggregator aggregator;

    /**
     * A handler for the endpoint and its {@code /live} and {@code /ready} children.
     *
     * @param endpoint   the path, starting with {@code /}
     * @param aggregator the aggregator
     */
    public HealthHttpHandler(String endpoint, HealthAggregator aggregator) {
        Checks.require(endpoint != null && endpoint.startsWith("/"), "endpoint", "a path starting with /", endpoint);
        this.endpoint = endpoint.length() > 1 && endpoint.endsWith("/")
                ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        this.aggregator = Objects.requireNonNull(aggregator, "aggregator");
    }

    /**
     * Creates the handler and registers it on a server at the endpoint.
     *
     * @param server     the server
     * @param endpoint   the path
     * @param aggregator the aggregator
     * @return the handler
     */
    public static HealthHttpHandler install(HttpServer server, String endpoint, HealthAggregator aggregator) {
        HealthHttpHandler handler = new HealthHttpHandler(endpoint, aggregator);
        server.createContext(handler.endpoint, handler);
        return handler;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            boolean head = "HEAD".equals(method);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            if (!head && !"GET".equals(method)) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "{\"error\":\"method not allowed\"}", false);
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if (path.equals(endpoint) || path.equals(endpoint + "/ready")) {
                HealthReport report = aggregator.report();
                send(exchange, report.status().httpStatus(), report.toJson(), head);
            } else if (path.equals(endpoint + "/live")) {
                send(exchange, 200, aggregator.report().toLiveJson(), head);
            } else {
                send(exchange, 404, "{\"error\":\"not found\"}", head);
            }
        }
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
