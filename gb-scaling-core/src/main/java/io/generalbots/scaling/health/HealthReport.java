package io.generalbots.scaling.health;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The health report of one instance, in exactly the seed's JSON shape:
 * <pre>{@code
 * {"status":"healthy","version":"6.1.0","uptime":86400,
 *  "checks":{"database":"ok","cache":"ok","vectordb":"ok","llm":"ok"},
 *  "metrics":{"cpu":45.2,"memory":62.1,"connections":150}}
 * }</pre>
 * The aggregator in gb-failover produces it; the auto-scaler and load balancer read instances'
 * reports with {@link #parse(String)}. The instance side of gb-autoscale adds its load figures
 * after the seed's three ({@link Metrics#extra()}, e.g. {@code "requests_per_min":420}) and turns
 * the status {@code draining} while the instance drains ({@link #withInstance(InstanceState)}).
 *
 * @param status  the overall status
 * @param version the application's version
 * @param uptime  whole seconds since the application started
 * @param checks  check name to {@code ok} or a failure word, in registration order
 * @param metrics cpu, memory, connections and any extra figures
 */
public record HealthReport(HealthStatus status, String version, long uptime, Map<String, String> checks,
                           Metrics metrics) {

    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(JSON);

    /**
     * Creates a report.
     *
     * @param status  the status
     * @param version the version
     * @param uptime  seconds since start, at least 0
     * @param checks  name to word; the iteration order is kept
     * @param metrics the metrics
     */
    public HealthReport {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(metrics, "metrics");
        if (uptime < 0) {
            throw new IllegalArgumentException("uptime must be at least 0, but was " + uptime);
        }
        checks = Collections.unmodifiableMap(new LinkedHashMap<>(checks));
    }

    /**
     * The {@code metrics} object of the report.
     *
     * @param cpu         CPU use of the container or host, percent 0..100
     * @param memory      memory use of the container or host, percent 0..100
     * @param connections active requests or connections the host application reports
     * @param extra       further figures written after the seed's three, in this order (e.g.
     *                    {@code requests_per_min}, {@code response_time_ms}, {@code inflight},
     *                    {@code queue_depth}); integers ({@link Long}, {@link Integer}) are written
     *                    as such, other numbers rounded to one decimal; NaN and infinite ones are left out
     */
    public record Metrics(double cpu, double memory, long connections, Map<String, Number> extra) {

        /** No figures (all 0). */
        public static final Metrics NONE = new Metrics(0, 0, 0);

        /**
         * Creates the metrics.
         *
         * @param cpu         CPU %
         * @param memory      memory %
         * @param connections connections
         * @param extra       further figures by name; names other than cpu, memory and connections
         */
        public Metrics {
            Objects.requireNonNull(extra, "extra");
            Map<String, Number> copy = new LinkedHashMap<>();
            for (Map.Entry<String, Number> e : extra.entrySet()) {
                String name = Objects.requireNonNull(e.getKey(), "extra metric name");
                if (name.equals("cpu") || name.equals("memory") || name.equals("connections")) {
                    throw new IllegalArgumentException("extra metric name must not be one of the seed's cpu, memory, "
                            + "connections, but was " + name);
                }
                copy.put(name, Objects.requireNonNull(e.getValue(), "extra metric " + name));
            }
            extra = Collections.unmodifiableMap(copy);
        }

        /**
         * The seed's three figures, without extra ones.
         *
         * @param cpu         CPU %
         * @param memory      memory %
         * @param connections connections
         */
        public Metrics(double cpu, double memory, long connections) {
            this(cpu, memory, connections, Map.of());
        }
    }

    /**
     * This report as the instance side sees it: status {@link HealthStatus#DRAINING} while the
     * instance drains (whatever the checks say), the instance's load figures added to
     * {@code metrics} (replacing figures of the same name), and {@code connections} = the
     * requests in flight when the report had none (0).
     *
     * @param instance the instance's state
     * @return the report with the instance's state
     */
    public HealthReport withInstance(InstanceState instance) {
        Map<String, Number> extra = new LinkedHashMap<>(metrics.extra());
        extra.putAll(instance.loadMetrics());
        long connections = metrics.connections() != 0 ? metrics.connections() : instance.inFlight();
        HealthStatus s = instance.draining() ? HealthStatus.DRAINING : status;
        return new HealthReport(s, version, uptime, checks, new Metrics(metrics.cpu(), metrics.memory(), connections,
                extra));
    }

    /**
     * The report as the seed's JSON (cpu and memory rounded to one decimal).
     *
     * @return the JSON text
     */
    public String toJson() {
        java.io.StringWriter out = new java.io.StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("status", status.word());
            g.writeStringField("version", version);
            g.writeNumberField("uptime", uptime);
            g.writeObjectFieldStart("checks");
            for (Map.Entry<String, String> e : checks.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeObjectFieldStart("metrics");
            g.writeNumberField("cpu", round1(metrics.cpu()));
            g.writeNumberField("memory", round1(metrics.memory()));
            g.writeNumberField("connections", metrics.connections());
            for (Map.Entry<String, Number> e : metrics.extra().entrySet()) {
                Number n = e.getValue();
                if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
                    g.writeNumberField(e.getKey(), n.longValue());
                } else if (Double.isFinite(n.doubleValue())) {
                    g.writeNumberField(e.getKey(), round1(n.doubleValue()));
                }
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * The liveness answer ({@code /api/health/live}) as JSON: {@code {"status":"healthy","version":…,"uptime":…}}.
     * A process that can answer is alive, whatever its checks say, so the status is always
     * {@code healthy}; the version and uptime are this report's. Every adapter (the JDK server's,
     * the servlet's, the Spring starter's) answers liveness with exactly this text.
     *
     * @return the JSON text
     */
    public String toLiveJson() {
        java.io.StringWriter out = new java.io.StringWriter(64);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("status", HealthStatus.HEALTHY.word());
            g.writeStringField("version", version);
            g.writeNumberField("uptime", uptime);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * Reads a report from the seed's JSON shape; numeric {@code metrics} fields other than the
     * seed's three are kept in {@link Metrics#extra()} (whole numbers as {@link Long}).
     *
     * @param json the JSON text
     * @return the report
     * @throws IllegalArgumentException saying what is missing or wrong
     */
    public static HealthReport parse(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("health report must be JSON, but was: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("health report must be a JSON object, but was " + json);
        }
        HealthStatus status = HealthStatus.ofWord(text(root, "status"));
        Map<String, String> checks = new LinkedHashMap<>();
        JsonNode c = root.path("checks");
        for (Map.Entry<String, JsonNode> e : c.properties()) {
            checks.put(e.getKey(), e.getValue().asText());
        }
        JsonNode m = root.path("metrics");
        Map<String, Number> extra = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : m.properties()) {
            String name = e.getKey();
            JsonNode v = e.getValue();
            if (!name.equals("cpu") && !name.equals("memory") && !name.equals("connections") && v.isNumber()) {
                extra.put(name, v.isIntegralNumber() && v.canConvertToLong() ? (Number) v.asLong() : v.asDouble());
            }
        }
        return new HealthReport(status, root.path("version").asText(""), root.path("uptime").asLong(0), checks,
                new Metrics(m.path("cpu").asDouble(0), m.path("memory").asDouble(0), m.path("connections").asLong(0),
                        extra));
    }

    private static String text(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || !n.isTextual()) {
            throw new IllegalArgumentException("health report must have a text field \"" + field + "\", but was "
                    + root);
        }
        return n.asText();
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
