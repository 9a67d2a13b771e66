package io.generalbots.balance;

import static io.generalbots.balance.LoadBalancerTest.A;
import static io.generalbots.balance.LoadBalancerTest.B;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.scaling.event.EventPublisher;

class ActiveHealthChecksTest {

    private final Map<HostAndPort, CompletableFuture<Integer>> answers = new ConcurrentHashMap<>();
    private final List<LoadBalancerEvent> events = new CopyOnWriteArrayList<>();
    private final UpstreamSet set = new UpstreamSet("lb", config());

    private static LoadBalancerConfig config() {
        return LoadBalancerConfig.custom().healthUri("/health").healthPasses(2).healthFails(2)
                .healthTimeout(Duration.ofSeconds(5)).build();
    }

    private ActiveHealthChecks checks() {
        EventPublisher<LoadBalancerEvent> publisher = EventPublisher.of("balancer lb");
        publisher.addListener(events::add);
        set.set(List.of(A, B));
        return new ActiveHealthChecks("lb", config(), set::snapshot, publisher,
                (u, uri, timeout) -> answers.getOrDefault(u, CompletableFuture.completedFuture(200)), null, null);
    }

    @Test
    void failsInARowTakeAnUpstreamOutAndPassesInARowBringItBack() {
        ActiveHealthChecks checks = checks();
        answers.put(A, CompletableFuture.completedFuture(503));
        checks.round().join();
        assertThat(set.snapshot()[0].activeHealthy).as("one failure of two").isTrue();
        checks.round().join();
        assertThat(set.snapshot()[0].activeHealthy).isFalse();
        assertThat(events).containsExactly(new LoadBalancerEvent.UpstreamUnhealthy("lb", A, "status 503"));

        answers.remove(A);
        checks.round().join();
        assertThat(set.snapshot()[0].activeHealthy).isFalse();
        checks.round().join();
        assertThat(set.snapshot()[0].activeHealthy).isTrue();
        assertThat(events).last().isEqualTo(new LoadBalancerEvent.UpstreamHealthy("lb", A, "status 200"));
        assertThat(set.snapshot()[1].activeHealthy).isTrue();
    }

    @Test
    void aRoundDoesNotWaitForAnUpstreamAndAFailedProbeIsAFailure() {
        ActiveHealthChecks checks = checks();
        CompletableFuture<Integer> hanging = new CompletableFuture<>();
        answers.put(A, hanging);
        answers.put(B, CompletableFuture.failedFuture(new java.net.ConnectException("refused")));
        CompletableFuture<Void> first = checks.round();
        CompletableFuture<Void> second = checks.round();
        assertThat(first).isNotDone();
        assertThat(second).isNotDone();
        // B's two failures were counted while A still hangs
        assertThat(events).containsExactly(
                new LoadBalancerEvent.UpstreamUnhealthy("lb", B, "java.net.ConnectException: refused"));
        hanging.complete(200);
        first.join();
        second.join();
        assertThat(events).hasSize(1);
    }
}
