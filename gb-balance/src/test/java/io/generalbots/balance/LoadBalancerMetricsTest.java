package io.generalbots.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.scaling.testing.ManualTicker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class LoadBalancerMetricsTest {

    private final HostAndPort a = new HostAndPort("10.0.0.1", 8080);
    private final HostAndPort b = new HostAndPort("10.0.0.2", 8080);
    private final ManualTicker ticker = new ManualTicker();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private LoadBalancer balancer(LoadBalancingPolicy policy, List<HostAndPort> upstreams) {
        LoadBalancer lb = LoadBalancer.custom("llm").ticker(ticker)
                .config(LoadBalancerConfig.custom().policy(policy).failDuration(Duration.ofSeconds(5)).build())
                .upstreams(upstreams).build();
        LoadBalancerMetrics.of(lb).bindTo(registry);
        return lb;
    }

    @Test
    void gaugesFollowTheUpstreamSetAndEventsAreCounted() {
        LoadBalancer lb = balancer(LoadBalancingPolicy.first(), List.of(a, b));
        Lease lease = lb.pick();
        assertThat(registry.get("gb.balancer.upstream.active").tag("balancer", "llm").tag("upstream", "10.0.0.1:8080")
                .gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("gb.balancer.upstream.healthy").tag("upstream", "10.0.0.1:8080").gauge().value())
                .isEqualTo(1.0);
        lease.fail();
        assertThat(registry.get("gb.balancer.upstreams.available").gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("gb.balancer.events").tag("type", "passive_down").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("gb.balancer.events").tag("type", "unhealthy").counter().count()).isZero();
        lb.setUpstreams(List.of(b, new HostAndPort("10.0.0.3", 8080)));
        assertThat(registry.get("gb.balancer.upstreams").gauge().value()).isEqualTo(2.0);
        assertThat(registry.find("gb.balancer.upstream.active").tag("upstream", "10.0.0.1:8080").gauge()).isNull();
        assertThat(registry.find("gb.balancer.upstream.latency").tag("upstream", "10.0.0.1:8080").timer()).isNull();
        assertThat(registry.get("gb.balancer.upstream.active").tag("upstream", "10.0.0.3:8080").gauge().value()).isZero();
        assertThat(registry.get("gb.balancer.events").tag("type", "added").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("gb.balancer.events").tag("type", "removed").counter().count()).isEqualTo(1.0);
    }

    @Test
    void latencyIsTimedPerUpstreamAndOutcome() {
        LoadBalancer lb = balancer(LoadBalancingPolicy.first(), List.of(a, b));
        Lease ok = lb.pick();
        ticker.advance(Duration.ofMillis(120));
        ok.complete(200);
        Lease bad = lb.pick();
        ticker.advance(Duration.ofMillis(30));
        bad.complete(503);
        var success = registry.get("gb.balancer.upstream.latency").tags("upstream", "10.0.0.1:8080", "outcome", "success")
                .timer();
        assertThat(success.count()).isEqualTo(1);
        assertThat(success.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(120);
        var failure = registry.get("gb.balancer.upstream.latency").tags("upstream", "10.0.0.1:8080", "outcome", "failure")
                .timer();
        assertThat(failure.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(30);
    }

    @Test
    void metersFollowUpstreamsNotTraffic() {
        LoadBalancer lb = balancer(LoadBalancingPolicy.roundRobin(), List.of(a, b));
        int perBalancer = registry.getMeters().size();
        List<Lease> leases = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            leases.add(lb.pick(PickRequest.none()));
        }
        leases.forEach(l -> l.complete(200));
        assertThat(registry.getMeters()).hasSize(perBalancer);
        // 2 balancer gauges, 5 event counters, and 4 meters per upstream
        assertThat(perBalancer).isEqualTo(2 + 5 + 2 * 4);
    }
}
