package io.generalbots.autoscale;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.generalbots.scaling.Checks;
import io.generalbots.scaling.health.HealthSettings;
import io.generalbots.autoscale.instance.Instance;
import io.generalbots.scaling.HttpClients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads each instance's health endpoint ({@code health-endpoint}, default {@code /api/health})
 * in parallel and takes the seed's health JSON apart:
 *
 * <pre>{@code
 * {"status": "healthy", ..., "metrics": {"cpu": 45.2, "memory": 62.1, "connections": 150,
 *   "requests_per_min": 420, "response_time_ms": 180, "queue_depth": 3}}
 * }</pre>
 *
 * <p>{@code cpu} and {@code memory} are percentages (the seed's names); {@code requests_per_min},
 * {@code response_time_ms} and {@code queue_depth} are the names this library adds for the other
 * scaling inputs; absent fields are missing metrics. Status {@code healthy} or {@code degraded}
 * (served with 200 or 503) means ready; {@code starting}, {@code draining} or anything else means
 * not ready. An instance that does not answer within {@code health-timeout} or answers something
 * that is not such JSON has no metrics this round (and so never causes a scale-down).
 */
public final class HealthEndpointMetricsSource implements MetricsSource {

    private static final Logger LOG = LoggerFactory.getLogger(HealthEndpointMetricsSource.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final String path;
    private final Duration timeout;

    /**
     * Creates a source with its own HTTP client.
     *
     * @param health the {@code health-*} settings (endpoint path and timeout)
     */
    public HealthEndpointMetricsSource(HealthSettings health) {
        this(HttpClients.http11(health.timeout()), health.endpoint(), health.timeout());
    }

    /**
     * Creates a source.
     *
     * @param client  the HTTP client
     * @param path    the health path, starting with {@code /}
     * @param timeout how long one instance may take to answer
     */
    public HealthEndpointMetricsSource(HttpClient client, String path, Duration timeout) {
        this.client = Objects.requireNonNull(client, "client");
        Checks.require(path != null && path.startsWith("/"), "path", "a path starting with /", path);
        this.path = path;
        this.timeout = Checks.requirePositive("timeout", timeout);
    }

    @Override
    public Map<String, InstanceMetrics> collect(List<Instance> instances) {
        Map<String, CompletableFuture<HttpResponse<String>>> calls = new LinkedHashMap<>();
        for (Instance instance : instances) {
            URI uri = URI.create("http://" + instance.address() + path);
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
            calls.put(instance.id(), client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        Map<String, InstanceMetrics> out = new HashMap<>();
        calls.forEach((id, call) -> {
            try {
                HttpResponse<String> response = call.join();
                InstanceMetrics metrics = parse(response.body());
                if (metrics != null) {
                    out.put(id, metrics);
                } else {
                    LOG.debug("instance {}: health endpoint answered {} without health JSON", id, response.statusCode());
                }
            } catch (RuntimeException e) {
                LOG.debug("instance {}: no metrics from its health endpoint: {}", id, e.toString());
            }
        });
        return out;
    }

    /**
     * Parses a health JSON body.
     *
     * @param body the body
     * @return the metrics, or null if the body is not a health report
     */
    public static InstanceMetrics parse(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (Exception e) {
            return null;
        }
        if (root == null || !root.isObject() || !root.path("status").isTextual()) {
            return null;
        }
        String status = root.get("status").asText();
        boolean ready = status.equals("healthy") || status.equals("degraded");
        JsonNode m = root.path("metrics");
        return new InstanceMetrics(ready, number(m, "cpu"), number(m, "memory"), number(m, "requests_per_min"),
                number(m, "response_time_ms"), number(m, "queue_depth"));
    }

    private static double number(JsonNode metrics, String field) {
        JsonNode n = metrics.path(field);
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }
}
