package io.generalbots.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.scaling.testing.ManualTicker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class LoadBalancerMetricsTest {

    @Test
    void gaugesFollowTheUpstreamSetAndEventsAreCounted() {
        HostAndPort a = new HostAndPort("10.0.0.1", 8080);
        HostAndPort b = new HostAndPort("10.0.0.2", 8080);
        ManualTicker ticker = new ManualTicker();
        LoadBalancer lb = LoadBalancer.custom("llm").ticker(ticker)
                .config(LoadBalancerConfig.custom().policy(LoadBalancingPolicy.first()).failDuration(Duration.ofSeconds(5)).build())
                .upstreams(List.of(a, b)).build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        LoadBalancerMetrics.bind(lb, registry);
        Lease lease = lb.pick();
        assertThat(registry.get("gb.balancer.upstream.active").tag("balancer", "llm").tag("upstream", "10.0.0.1:8080")
                .gauge().value()).isEqualTo(1.0);
        lease.fail();
        assertThat(registry.get("gb.balancer.upstreams.available").gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("gb.balancer.events").tag("type", "passive_down").counter().count()).isEqualTo(1.0);
        lb.setUpstreams(List.of(b, new HostAndPort("10.0.0.3", 8080)));
        assertThat(registry.get("gb.balancer.upstreams").gauge().value()).isEqualTo(2.0);
        assertThat(registry.find("gb.balancer.upstream.active").tag("upstream", "10.0.0.1:8080").gauge()).isNull();
        assertThat(registry.get("gb.balancer.upstream.active").tag("upstream", "10.0.0.3:8080").gauge().value()).isZero();
        assertThat(registry.get("gb.balancer.events").tag("type", "added").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("gb.balancer.events").tag("type", "removed").counter().count()).isEqualTo(1.0);
    }
}
