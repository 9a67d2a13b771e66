package io.generalbots.balance;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer meters of a {@link LoadBalancer}; only this class touches Micrometer, so the balancer
 * works without it on the classpath. Every meter carries the tag {@code balancer}; per-upstream
 * meters also carry {@code upstream} ({@code HOST:PORT}; not {@code instance}, which Prometheus
 * reserves for the scraped target) and are removed with the upstream, so their number follows the
 * upstream set, never the traffic.
 *
 * <pre>{@code LoadBalancerMetrics.of(balancer).bindTo(meterRegistry);}</pre>
 *
 * <ul>
 *   <li>{@value #UPSTREAMS} (gauge): upstreams in the set;</li>
 *   <li>{@value #AVAILABLE} (gauge): of those, the ones a pick may choose now (healthy, not
 *       passively down);</li>
 *   <li>{@value #ACTIVE} (gauge, per upstream): requests in flight;</li>
 *   <li>{@value #HEALTHY} (gauge, per upstream): 1 while its active health check passes;</li>
 *   <li>{@value #LATENCY} (timer, seconds, per upstream, tag {@code outcome} = {@code success} or
 *       {@code failure}: no response or a 5xx): from the pick to the completion of each lease; a
 *       percentile histogram only with {@link #percentileHistogram(boolean)} (about 70 buckets per
 *       upstream and outcome in Prometheus);</li>
 *   <li>{@value #EVENTS} (counter, tag {@code type}: {@code added}, {@code removed},
 *       {@code unhealthy}, {@code healthy}, {@code passive_down}).</li>
 * </ul>
 */
public final class LoadBalancerMetrics implements MeterBinder {

    /** Upstreams in the set. */
    public static final String UPSTREAMS = "gb.balancer.upstreams";
    /** Upstreams a pick may choose now. */
    public static final String AVAILABLE = "gb.balancer.upstreams.available";
    /** Requests in flight per upstream. */
    public static final String ACTIVE = "gb.balancer.upstream.active";
    /** 1 while the upstream's active health check passes. */
    public static final String HEALTHY = "gb.balancer.upstream.healthy";
    /** Request latency per upstream. */
    public static final String LATENCY = "gb.balancer.upstream.latency";
    /** Upstream events. */
    public static final String EVENTS = "gb.balancer.events";

    private static final List<String> TYPES = List.of("added", "removed", "unhealthy", "healthy", "passive_down");

    private final LoadBalancer balancer;
    private boolean percentileHistogram;

    private LoadBalancerMetrics(LoadBalancer balancer) {
        this.balancer = Objects.requireNonNull(balancer, "balancer");
    }

    /**
     * Meters for a balancer.
     *
     * @param balancer the balancer
     * @return the binder
     */
    public static LoadBalancerMetrics of(LoadBalancer balancer) {
        return new LoadBalancerMetrics(balancer);
    }

    /**
     * Whether the latency timers publish a full percentile histogram; default false (it costs
     * about 70 series per upstream and outcome).
     *
     * @param enabled whether to publish it
     * @return this
     */
    public LoadBalancerMetrics percentileHistogram(boolean enabled) {
        this.percentileHistogram = enabled;
        return this;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        String name = balancer.name();
        Gauge.builder(UPSTREAMS, balancer, b -> b.upstreams().size()).tag("balancer", name)
                .description("Upstreams in the set").register(registry);
        Gauge.builder(AVAILABLE, balancer, LoadBalancer::availableCount).tag("balancer", name)
                .description("Upstreams a pick may choose now").register(registry);
        Map<String, Counter> events = new java.util.HashMap<>();
        for (String type : TYPES) {
            events.put(type, Counter.builder(EVENTS).tag("balancer", name).tag("type", type)
                    .description("Upstream events of the balancer").register(registry));
        }
        Binding binding = new Binding(registry, name);
        balancer.addListener(e -> {
            events.get(type(e)).increment();
            binding.onEvent(e);
        });
        balancer.upstreams().forEach(binding::track);
        balancer.addRecorder(binding);
    }

    /** The {@code type} tag of an event. */
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

    /** The meters of one registry, per upstream. */
    private final class Binding implements Completions.Recorder {
        private final MeterRegistry registry;
        private final String name;
        private final Map<Upstream, PerUpstream> meters = new ConcurrentHashMap<>();

        Binding(MeterRegistry registry, String name) {
            this.registry = registry;
            this.name = name;
        }

        void onEvent(LoadBalancerEvent event) {
            if (event instanceof LoadBalancerEvent.UpstreamAdded) {
                balancer.upstreams().stream().filter(u -> u.address().equals(event.upstream())).forEach(this::track);
            } else if (event instanceof LoadBalancerEvent.UpstreamRemoved) {
                meters.entrySet().removeIf(e -> {
                    if (e.getKey().isRemoved()) {
                        e.getValue().all().forEach(registry::remove);
                        return true;
                    }
                    return false;
                });
            }
        }

        void track(Upstream u) {
            if (u.isRemoved()) {
                return;
            }
            meters.computeIfAbsent(u, k -> new PerUpstream(
                    Gauge.builder(ACTIVE, k, Upstream::activeRequests).tag("balancer", name).tag("upstream", k.dial())
                            .description("Requests in flight to the upstream").register(registry),
                    Gauge.builder(HEALTHY, k, x -> x.isHealthy() ? 1 : 0).tag("balancer", name)
                            .tag("upstream", k.dial()).description("1 while the upstream's active health check passes")
                            .register(registry),
                    timer(k, "success"), timer(k, "failure")));
        }

        private Timer timer(Upstream u, String outcome) {
            return Timer.builder(LATENCY).tag("balancer", name).tag("upstream", u.dial()).tag("outcome", outcome)
                    .description("From the pick to the completion of a request to the upstream")
                    .publishPercentileHistogram(percentileHistogram).register(registry);
        }

        @Override
        public void completed(Upstream upstream, long nanos, boolean failure) {
            PerUpstream m = meters.get(upstream);
            if (m != null) {
                (failure ? m.failure : m.success).record(nanos, TimeUnit.NANOSECONDS);
            }
        }
    }

    private record PerUpstream(Gauge active, Gauge healthy, Timer success, Timer failure) {
        List<Meter> all() {
            return List.of(active, healthy, success, failure);
        }
    }
}
