package io.generalbots.autoscale;

/**
 * One instance's load as a {@link MetricsSource} read it. A metric the source does not have is
 * {@link Double#NaN}; an instance that is not {@link #ready()} (still starting, draining) is left
 * out of the averages.
 *
 * @param ready              whether the instance serves requests (health {@code healthy} or
 *                           {@code degraded}; not {@code starting} or {@code draining})
 * @param cpuPercent         CPU use, 0..100 % of the instance's CPU limit
 * @param memoryPercent      memory use, 0..100 % of its limit
 * @param requestsPerMinute  requests served in the last minute
 * @param responseTimeMillis average response time in milliseconds
 * @param queueDepth         requests (or jobs) waiting
 */
public record InstanceMetrics(boolean ready, double cpuPercent, double memoryPercent, double requestsPerMinute,
                              double responseTimeMillis, double queueDepth) {

    /** A not-ready instance without metrics. */
    public static final InstanceMetrics NOT_READY =
            new InstanceMetrics(false, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /**
     * A ready instance of which only the CPU is known.
     *
     * @param cpuPercent the CPU %
     * @return the metrics
     */
    public static InstanceMetrics cpu(double cpuPercent) {
        return new InstanceMetrics(true, cpuPercent, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    /**
     * Whether a value is present (not NaN).
     *
     * @param value a metric value
     * @return true if known
     */
    public static boolean known(double value) {
        return !Double.isNaN(value);
    }
}
