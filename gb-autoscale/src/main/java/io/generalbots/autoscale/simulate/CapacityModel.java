package io.generalbots.autoscale.simulate;

import io.generalbots.scaling.Checks;

/**
 * The simulator's model of a botserver instance.
 *
 * <ul>
 *   <li>One ready instance serves {@code capacityRpm} requests per minute at 100 % CPU; CPU is
 *       proportional to the load it gets: the load of a second is spread evenly over the ready
 *       instances, so each one's CPU is {@code min(100, 100 × load / (ready × capacityRpm))}
 *       (100 % when no instance is ready).</li>
 *   <li>A launched instance takes {@code bootSeconds} to become ready; it costs from its launch,
 *       and until it is destroyed (draining included).</li>
 *   <li>Response time grows with utilization {@code u} like an M/M/1 queue:
 *       {@code baseMillis / (1 - u)}, capped at {@value #MAX_RESPONSE_MILLIS} ms (so at or above
 *       100 % it is the cap). With the default base of {@value #DEFAULT_BASE_MILLIS} ms, the seed's
 *       2000 ms rule is crossed at u = 0.9.</li>
 *   <li>There is no queue and no memory pressure: the queue-depth rule and the memory and
 *       request thresholds never fire in the model unless requests per instance exceed
 *       {@code scale-request-threshold}.</li>
 * </ul>
 *
 * @param capacityRpm  requests per minute one instance serves at 100 % CPU
 * @param bootSeconds  seconds from launch to ready
 * @param baseMillis   response time of an idle instance
 */
public record CapacityModel(double capacityRpm, int bootSeconds, double baseMillis) {

    /** Default response time of an idle instance, ms. */
    public static final double DEFAULT_BASE_MILLIS = 200;
    /** The response-time cap, ms. */
    public static final double MAX_RESPONSE_MILLIS = 30_000;

    /**
     * Creates a model.
     *
     * @param capacityRpm requests/min per instance at 100 % CPU
     * @param bootSeconds boot time
     * @param baseMillis  idle response time
     */
    public CapacityModel {
        Checks.require(capacityRpm > 0 && !Double.isInfinite(capacityRpm), "capacity-rpm", "a number > 0",
                capacityRpm);
        Checks.requireRange("boot-seconds", bootSeconds, 0, 86_400);
        Checks.require(baseMillis > 0, "baseMillis", "> 0", baseMillis);
    }

    /**
     * A model with the default idle response time.
     *
     * @param capacityRpm requests/min per instance at 100 % CPU
     * @param bootSeconds boot time
     * @return the model
     */
    public static CapacityModel of(double capacityRpm, int bootSeconds) {
        return new CapacityModel(capacityRpm, bootSeconds, DEFAULT_BASE_MILLIS);
    }

    /**
     * Utilization of each ready instance (may exceed 1 when overloaded).
     *
     * @param rpm   the load
     * @param ready ready instances
     * @return load / capacity
     */
    public double utilization(double rpm, int ready) {
        return ready == 0 ? (rpm > 0 ? Double.POSITIVE_INFINITY : 0) : rpm / (ready * capacityRpm);
    }

    /**
     * CPU % of each ready instance.
     *
     * @param rpm   the load
     * @param ready ready instances
     * @return 0..100
     */
    public double cpuPercent(double rpm, int ready) {
        return ready == 0 ? 100 : Math.min(100, 100 * utilization(rpm, ready));
    }

    /**
     * Response time at a load.
     *
     * @param rpm   the load
     * @param ready ready instances
     * @return milliseconds
     */
    public double responseMillis(double rpm, int ready) {
        double u = utilization(rpm, ready);
        return u >= 1 ? MAX_RESPONSE_MILLIS : Math.min(MAX_RESPONSE_MILLIS, baseMillis / (1 - u));
    }
}
