package io.generalbots.spring;

import java.util.LinkedHashMap;
import java.util.Map;

import io.generalbots.scaling.health.HealthReport;
import io.generalbots.scaling.health.HealthStatus;

/**
 * How the health aggregator's status maps onto Actuator's, in Boot 3.5 and 4.0 alike:
 * {@code healthy} → {@code UP}, {@code degraded} → {@code DEGRADED} (a status of its own, ordered
 * between {@code OUT_OF_SERVICE} and {@code UP} and served with 200, never folded into {@code UP}),
 * {@code unhealthy} → {@code DOWN} (503), {@code draining} → {@code OUT_OF_SERVICE} (503: the instance
 * takes no new requests while those in flight finish).
 */
public final class GbHealthStatus {

    /** The Actuator status code of a degraded instance. */
    public static final String DEGRADED = "DEGRADED";

    /** The default order of Actuator statuses with {@link #DEGRADED} in its place. */
    public static final String ORDER = "down,out-of-service,degraded,up,unknown";

    private GbHealthStatus() {
    }

    /**
     * The Actuator status code of a status.
     *
     * @param status the aggregator's status
     * @return {@code UP}, {@code DEGRADED}, {@code DOWN} or {@code OUT_OF_SERVICE}
     */
    public static String code(HealthStatus status) {
        return switch (status) {
            case HEALTHY -> "UP";
            case DEGRADED -> DEGRADED;
            case UNHEALTHY -> "DOWN";
            case DRAINING -> "OUT_OF_SERVICE";
        };
    }

    /**
     * The details shown by Actuator: the seed's fields.
     *
     * @param report the report
     * @return name to value
     */
    public static Map<String, Object> details(HealthReport report) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("status", report.status().word());
        details.put("version", report.version());
        details.put("uptime", report.uptime());
        details.put("checks", report.checks());
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("cpu", report.metrics().cpu());
        metrics.put("memory", report.metrics().memory());
        metrics.put("connections", report.metrics().connections());
        details.put("metrics", metrics);
        return details;
    }
}
