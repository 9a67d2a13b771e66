package io.generalbots.scaling.health;

import java.util.Map;

/**
 * What the instance side of a botserver (gb-autoscale's {@code BotInstance}) puts into the health
 * report, so that whoever serves the report (gb-failover's aggregator, a Servlet or Spring
 * adapter) can show it without depending on gb-autoscale: whether the instance drains, its
 * requests in flight and its load figures. Apply it with {@link HealthReport#withInstance}.
 *
 * <p>Implementations answer at once, without blocking, from any thread.
 */
public interface InstanceState {

    /**
     * Whether the instance drains: it takes no new requests, so its health is
     * {@link HealthStatus#DRAINING} (503) and readiness fails, while requests in flight finish.
     *
     * @return true from the drain on
     */
    boolean draining();

    /**
     * Requests being served now.
     *
     * @return the count, never negative
     */
    long inFlight();

    /**
     * The load figures to add to the report's {@code metrics}, by field name, e.g.
     * {@code requests_per_min}, {@code response_time_ms}, {@code response_time_p95_ms},
     * {@code inflight}, {@code queue_depth}. A figure the instance does not know is left out.
     *
     * @return the figures, in the order to write them
     */
    Map<String, Number> loadMetrics();
}
