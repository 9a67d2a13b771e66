package io.generalbots.balance;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Micrometer meters of a {@link LoadBalancer}; only this class touches Micrometer, so the balancer
 * works without it on the classpath. Meters (tag {@code balancer}):
 * <ul>
 *   <li>{@code gb.balancer.upstreams}: upstreams in the set;</li>
 *   <li>{@code gb.balancer.upstreams.available}: of those, the ones a pick may choose now;</li>
 *   <li>{@code gb.balancer.upstream.active} (tag {@code upstream}): active requests of each
 *       upstream, removed with the upstream;</li>
 *   <li>{@code gb.balancer.events} (tag {@code type}: added, removed, unhealthy, healthy,
 *       passive_down): counts of upstream events ({@link LoadBalancerEvent}).</li>
 * </ul>
 */
public final class LoadBalancerMetrics {

    private final LoadBalancer balancer;
    private final MeterRegistry registry;
    private final Map<Upstream, Gauge> active = new ConcurrentHashMap<>();

    private LoadBalancerMetrics(LoadBalancer balancer, MeterRegistry registry) {
        this.balancer = balancer;
        this.registry = registry;
    }

    /**
     * Registers the balancer's meters.
     *
     * @param balancer the balancer
     * @param registry the registry
     * @return the binding
     */
    public static LoadBalancerMetrics bind(LoadBalancer balancer, MeterRegistry registry) {
        Objects.requireNonNull(balancer, "balancer");
        Objects.requireNonNull(registry, "registry");
        LoadBalancerMetrics m = new LoadBalancerMetrics(balancer, registry);
        String name = balancer.name();
        Gauge.builder("gb.balancer.upstreams", balancer, b -> b.upstreams().size()).tag("balancer", name)
                .description("upstreams in the set").register(registry);
        Gauge.builder("gb.balancer.upstreams.available", balancer, LoadBalancer::availableCount).tag("balancer", name)
                .description("upstreams a pick may choose now").register(registry);
        balancer.addListener(m::onEvent);
        balancer.upstreams().forEach(m::track);
        return m;
    }

    private void onEvent(LoadBalancerEvent event) {
        Counter.builder("gb.balancer.events").tag("balancer", balancer.name())
                .tag("type", type(event)).register(registry).increment();
        if (event instanceof LoadBalancerEvent.UpstreamAdded) {
            balancer.upstreams().stream().filter(u -> u.address().equals(event.upstream())).forEach(this::track);
        } else if (event instanceof LoadBalancerEvent.UpstreamRemoved) {
            active.entrySet().removeIf(e -> {
                if (e.getKey().isRemoved()) {
                    registry.remove(e.getValue());
                    return true;
                }
                return false;
            });
        }
    }

    private static String type(LoadBalancerEvent event) {
        if (event instanceof LoadBalancerEvent.UpstreamAdded) {
            return "added";
        } else if (event instanceof LoadBalancerEvent.UpstreamRemoved) {
            return "removed";
        } else if (event instanceof LoadBalancerEvent.UpstreamUnhealthy) {
            return "unhealthy";
        } else if (event instanceof LoadBalancerEvent.UpstreamHealthy) {
            return "healthy";
        }
        return "passive_down";
    }

    private void track(Upstream u) {
        if (u.isRemoved()) {
            return;
        }
        active.computeIfAbsent(u, k -> Gauge.builder("gb.balancer.upstream.active", k, Upstream::activeRequests)
                .tag("balancer", balancer.name()).tag("upstream", k.dial())
                .description("active requests of the upstream").register(registry));
    }
}
