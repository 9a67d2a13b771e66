package io.generalbots.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.generalbots.failover.health.HealthAggregator;
import io.generalbots.scaling.Checks;
import io.generalbots.scaling.health.HealthReport;

/**
 * Serves a {@link HealthAggregator}'s report on a servlet container exactly as gb-failover's
 * {@link io.generalbots.failover.health.HealthHttpHandler} does on the JDK server, never waiting on
 * a check:
 * <ul>
 *   <li>{@code ENDPOINT} ({@code health-endpoint}, e.g. {@code /api/health}): the seed's JSON,
 *       200 when healthy or degraded, 503 when unhealthy;</li>
 *   <li>{@code ENDPOINT/ready}: the same report and code, for readiness probes and proxies;</li>
 *   <li>{@code ENDPOINT/live}: 200 {@code {"status":"healthy","version":...,"uptime":N}} while the
 *       process serves.</li>
 * </ul>
 * GET and HEAD only (405 otherwise); responses are {@code application/json} and {@code no-store}.
 *
 * <pre>{@code
 * HealthServlet health = new HealthServlet("/api/health", aggregator);
 * servletContext.addServlet("gb-health", health).addMapping(health.urlPatterns().toArray(String[]::new));
 * }</pre>
 */
public final class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final String endpoint;
    private final transient HealthAggregator aggregator;

    /**
     * A servlet for the endpoint and its {@code /ready} and {@code /live} children.
     *
     * @param endpoint   the path inside the application, starting with {@code /}
     * @param aggregator the aggregator
     */
    public HealthServlet(String endpoint, HealthAggregator aggregator) {
        Checks.require(endpoint != null && endpoint.startsWith("/"), "endpoint", "a path starting with /", endpoint);
        this.endpoint = endpoint.length() > 1 && endpoint.endsWith("/")
                ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        this.aggregator = Objects.requireNonNull(aggregator, "aggregator");
    }

    /**
     * The URL patterns to map this servlet to: the endpoint itself and everything below it.
     *
     * @return e.g. {@code /api/health} and {@code /api/health/*}
     */
    public List<String> urlPatterns() {
        return List.of(endpoint, endpoint + "/*");
    }

    /**
     * The endpoint served.
     *
     * @return the path
     */
    public String endpoint() {
        return endpoint;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod();
        boolean head = "HEAD".equals(method);
        response.setHeader("Cache-Control", "no-store");
        if (!head && !"GET".equals(method)) {
            response.setHeader("Allow", "GET, HEAD");
            send(response, 405, "{\"error\":\"method not allowed\"}", false);
            return;
        }
        String path = ServletClientRequest.pathOf(request);
        if (path.equals(endpoint) || path.equals(endpoint + "/ready")) {
            HealthReport report = aggregator.report();
            send(response, report.status().httpStatus(), report.toJson(), head);
        } else if (path.equals(endpoint + "/live")) {
            send(response, 200, aggregator.report().toLiveJson(), head);
        } else {
            send(response, 404, "{\"error\":\"not found\"}", head);
        }
    }

    private static void send(HttpServletResponse response, int status, String body, boolean head) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(bytes.length);
        if (!head) {
            response.getOutputStream().write(bytes);
        }
    }
}
