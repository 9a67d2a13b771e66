package io.generalbots.scaling.cluster;

import java.util.List;

import io.generalbots.scaling.config.HostAndPort;

/**
 * The proxy side of scaling, shared by gb-autoscale (which calls it) and gb-balance (whose Caddy
 * upstream sync implements it): told the full upstream list
 * after a scale-up (new instances included; the proxy's health checks keep them out until ready)
 * and <em>before</em> a drain starts (the instances to remove already left out), so that the
 * proxy stops sending requests to an instance before it is drained and destroyed.
 */
@FunctionalInterface
public interface UpstreamsListener {

    /**
     * The upstreams changed.
     *
     * @param upstreams every instance that should receive requests, in launch order
     * @throws RuntimeException if the proxy could not be updated: the auto-scaler (gb-autoscale)
     *                          logs it, publishes its {@code ScalingFailed} event and still goes on
     *                          (before a drain, the drain is postponed to the next check)
     */
    void upstreamsChanged(List<HostAndPort> upstreams);
}
