package io.generalbots.autoscale;

import java.util.List;
import java.util.Map;

import io.generalbots.autoscale.instance.Instance;

/**
 * Where the auto-scaler gets each instance's load, once per {@code scale-check-interval}.
 * Shipped: {@link HealthEndpointMetricsSource} (reads the {@code metrics} object of each
 * instance's health JSON) and {@link PushedMetricsSource} (the host application feeds it).
 */
@FunctionalInterface
public interface MetricsSource {

    /**
     * The metrics of the given instances. An instance missing from the map has no metrics this
     * round: it never causes a scale-down.
     *
     * @param instances the instances the manager lists (draining ones excluded)
     * @return metrics by instance id
     */
    Map<String, InstanceMetrics> collect(List<Instance> instances);
}
