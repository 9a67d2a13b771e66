package io.generalbots.balance;

import static io.generalbots.balance.LoadBalancerTest.A;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.generalbots.scaling.event.EventPublisher;
import io.generalbots.scaling.testing.ManualTicker;

class CompletionsTest {

    private final ManualTicker ticker = new ManualTicker();
    private final List<LoadBalancerEvent> events = new ArrayList<>();
    private final List<String> recorded = new ArrayList<>();
    private final LoadBalancerConfig config = LoadBalancerConfig.custom().maxFails(2)
            .failDuration(Duration.ofSeconds(30)).unhealthyStatus(502).unhealthyLatency(Duration.ofSeconds(2)).build();
    private final Upstream upstream = new Upstream(A, config);

    private Completions completions() {
        EventPublisher<LoadBalancerEvent> publisher = EventPublisher.of("balancer lb");
        publisher.addListener(events::add);
        Completions c = new Completions("lb", config, ticker, false, publisher);
        c.addRecorder((u, nanos, failure) -> recorded.add(u.address() + " " + nanos + " " + failure));
        return c;
    }

    private void complete(Completions c, Duration took, int status, boolean failed) {
        upstream.acquire();
        Lease lease = new Lease(null, upstream, ticker.read(), null);
        ticker.advance(took);
        c.completed(lease, status, failed);
    }

    @Test
    void aCompletedLeaseLeavesTheActiveCountAndIsRecorded() {
        Completions c = completions();
        complete(c, Duration.ofMillis(5), 200, false);
        complete(c, Duration.ofMillis(7), 503, false);
        assertThat(upstream.activeRequests()).isZero();
        assertThat(recorded).containsExactly(A + " 5000000 false", A + " 7000000 true");
        assertThat(events).isEmpty();
    }

    @Test
    void maxFailsWithinTheFailDurationMarkTheUpstreamDown() {
        Completions c = completions();
        complete(c, Duration.ofMillis(1), 502, false);   // an unhealthy status
        assertThat(upstream.isAvailable(ticker.read())).isTrue();
        complete(c, Duration.ofMillis(1), 0, true);      // no response
        assertThat(upstream.isAvailable(ticker.read())).isFalse();
        assertThat(events).containsExactly(
                new LoadBalancerEvent.UpstreamMarkedDown("lb", A, Duration.ofSeconds(30), "no response"));
    }

    @Test
    void aSlowAnswerCountsAsAFailure() {
        Completions c = completions();
        complete(c, Duration.ofSeconds(2), 200, false);
        complete(c, Duration.ofSeconds(3), 200, false);
        assertThat(events).containsExactly(
                new LoadBalancerEvent.UpstreamMarkedDown("lb", A, Duration.ofSeconds(30), "status 200"));
    }
}
