package io.generalbots.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.scaling.testing.Await;
import io.generalbots.scaling.testing.CapturedLog;
import io.generalbots.scaling.testing.ManualTicker;
import io.generalbots.scaling.testing.RecordingThreadFactory;

class LoadBalancerTest {

    static final HostAndPort A = HostAndPort.parse("10.0.0.1:8080", 0);
    static final HostAndPort B = HostAndPort.parse("10.0.0.2:8080", 0);
    static final HostAndPort C = HostAndPort.parse("10.0.0.3:8080", 0);

    final ManualTicker ticker = new ManualTicker();
    final List<Duration> slept = new ArrayList<>();

    /** Upstreams whose active health check fails: the probe answers 503 for them, 200 for the others. */
    final Set<HostAndPort> down = ConcurrentHashMap.newKeySet();

    /** Marks the upstreams down (or up again) the way production does: through active health checks. */
    void setDown(LoadBalancer lb, boolean isDown, HostAndPort... upstreams) {
        for (HostAndPort u : upstreams) {
            if (isDown) {
                down.add(u);
            } else {
                down.remove(u);
            }
        }
        int rounds = Math.max(lb.config().healthFails(), lb.config().healthPasses());
        for (int i = 0; i < rounds; i++) {
            lb.checkHealth().join();
        }
    }

    LoadBalancer balancer(LoadBalancerConfig.Builder config, HostAndPort... upstreams) {
        return LoadBalancer.custom("test").config(config.build()).ticker(ticker)
                .healthProbe((u, uri, timeout) -> CompletableFuture.completedFuture(down.contains(u) ? 503 : 200))
                .sleeper(d -> {
                    slept.add(d);
                    ticker.advance(d);
                }).upstreams(List.of(upstreams)).build();
    }

    static LoadBalancerConfig.Builder policy(LoadBalancingPolicy p) {
        // active checks are configured (never started: setDown runs them), so that tests drive them
        return LoadBalancerConfig.custom().policy(p).healthUri("/api/health");
    }

    static HostAndPort pickAndClose(LoadBalancer lb, PickRequest r) {
        try (Lease lease = lb.pick(r)) {
            return lease.address();
        }
    }

    @Test
    void roundRobinRotatesAndSkipsUnavailable() {
        LoadBalancer lb = balancer(policy(LoadBalancingPolicy.roundRobin()), A, B, C);
        List<HostAndPort> seen = IntStream.range(0, 6).mapToObj(i -> pickAndClose(lb, PickRequest.none())).toList();
        assertThat(seen).containsExactly(B, C, A, B, C, A);
        setDown(lb, true, C);
        List<HostAndPort> next = IntStream.range(0, 4).mapToObj(i -> pickAndClose(lb, PickRequest.none())).toList();
        assertThat(next).doesNotContain(C).contains(A, B);
    }

    @Test
    void firstTakesTheFirstAvailable() {
        LoadBalancer lb = balancer(policy(LoadBalancingPolicy.first()), A, B, C);
        assertThat(pickAndClose(lb, PickRequest.none())).isEqualTo(A);
        setDown(lb, true, A);
        assertThat(pickAndClose(lb, PickRequest.none())).isEqualTo(B);
    }

    @Test
    void leastConnCountsActiveRequests() {
        LoadBalancer lb = balancer(policy(LoadBalancingPolicy.leastConn()), A, B, C);
        Lease l1 = lb.pick();
        Lease l2 = lb.pick();
        Lease l3 = lb.pick();
        assertThat(Set.of(l1.address(), l2.address(), l3.address())).containsExactlyInAnyOrder(A, B, C);
        l2.close();
        Lease l4 = lb.pick();
        assertThat(l4.address()).isEqualTo(l2.address());
        l2.close();   // a second completion is ignored: the count does not go negative
        assertThat(lb.upstreams()).allSatisfy(u -> assertThat(u.activeRequests()).isEqualTo(1));
    }

    @Test
    void ipHashIsStickyAndRemovingMovesOnlyThatUpstreamsClients() {
        LoadBalancer lb = balancer(policy(LoadBalancingPolicy.ipHash()), A, B, C);
        Map<String, HostAndPort> before = new HashMap<>();
        for (int i = 0; i < 3000; i++) {
            String ip = "192.168." + (i / 256) + "." + (i % 256);
            before.put(ip, pickAndClose(lb, PickRequest.fromClient(ip)));
            assertThat(pickAndClose(lb, PickRequest.fromClient(ip))).isEqualTo(before.get(ip));
        }
        Map<HostAndPort, Long> spread = before.values().stream().collect(Collectors.groupingBy(h -> h, Collectors.counting()));
        assertThat(spread.values()).allSatisfy(n -> assertThat(n).isBetween(800L, 1200L));
        lb.removeUpstream(B);
        before.forEach((ip, was) -> {
            HostAndPort now = pickAndClose(lb, PickRequest.fromClient(ip));
            if (!was.equals(B)) {
                assertThat(now).as(ip).isEqualTo(was);
            } else {
                assertThat(now).isIn(A, C);
            }
        });
    }

    @Test
    void ipHashWithoutClientIpIsRefusedWithAMessage() {
        LoadBalancer lb = balancer(policy(LoadBalancingPolicy.ipHash()), A, B);
        assertThatThrownBy(lb::pick).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ip_hash needs the client IP: pick with PickRequest.fromClient(ip)");
    }

    @Test
    void cookiePinsWithCaddysHmacAndRepicksWhenThePinnedUpstreamIsGone() {
        LoadBalancer lb = balancer(policy(LoadBalancingPolicy.cookie("s3cret")), A, B, C);
        Lease first = lb.pick(PickRequest.none());
        first.close();
        String setCookie = first.setCookie().orElseThrow();
        // Caddy: hex(HMAC-SHA256(secret, "host:port")), cookie "lb", Path=/
        assertThat(setCookie).matches("lb=[0-9a-f]{64}; Path=/");
        String value = setCookie.substring(3, 67);
        for (int i = 0; i < 20; i++) {
            Lease again = lb.pick(PickRequest.withCookie(value));
            assertThat(again.address()).isEqualTo(first.address());
            assertThat(again.setCookie()).isEmpty();
            again.close();
        }
        lb.removeUpstream(first.address());
        Lease moved = lb.pick(PickRequest.withCookie(value));
        assertThat(moved.address()).isNotEqualTo(first.address());
        assertThat(moved.setCookie()).hasValueSatisfying(c -> assertThat(c).startsWith("lb=").doesNotContain(value));
        // a forged cookie is just a missing one
        assertThat(lb.pick(PickRequest.withCookie("forged")).setCookie()).isPresent();
    }

    @Test
    void cookieValueIsCaddysHmac() {
        // HMAC-SHA256(key "s3cret", "10.0.0.1:8080"), computed with openssl:
        // printf '10.0.0.1:8080' | openssl dgst -sha256 -hmac s3cret
        UpstreamSelector s = LoadBalancingPolicy.cookie("s3cret").newSelector();
        String v = s.cookieValue(new Upstream(A, LoadBalancerConfig.ofDefaults()));
        assertThat(v).isEqualTo("b0dfeb4f36fa8cda1bacd76ab8f220aff99a274d83c4a4c6b6cf685aa672591d");
    }

    @Test
    void randomAndRandomChooseUseOnlyAvailableUpstreams() {
        for (LoadBalancingPolicy p : List.of(LoadBalancingPolicy.random(), LoadBalancingPolicy.randomChoose(2),
                LoadBalancingPolicy.peakEwma())) {
            LoadBalancer lb = balancer(policy(p), A, B, C);
            setDown(lb, true, B);
            Set<HostAndPort> seen = new HashSet<>();
            for (int i = 0; i < 300; i++) {
                seen.add(pickAndClose(lb, PickRequest.none()));
            }
            assertThat(seen).as(p.toString()).containsExactlyInAnyOrder(A, C);
        }
    }

    @Test
    void randomChooseTwoPrefersTheLessLoaded() {
        LoadBalancer lb = balancer(policy(LoadBalancingPolicy.randomChoose(3)), A, B, C);
        Lease a = lb.pick();
        Lease b = lb.pick();
        // with 3 of 3 chosen, the idle one always wins
        Set<HostAndPort> busy = Set.of(a.address(), b.address());
        for (int i = 0; i < 50; i++) {
            assertThat(pickAndClose(lb, PickRequest.none())).isNotIn(busy);
        }
    }

    @Test
    void noAvailableUpstreamIsAClearError() {
        LoadBalancer lb = balancer(policy(LoadBalancingPolicy.roundRobin()), A, B);
        setDown(lb, true, A, B);
        assertThatThrownBy(lb::pick).isInstanceOf(NoUpstreamAvailableException.class)
                .isInstanceOf(io.generalbots.scaling.GbScalingException.class)
                .hasMessage("balancer test: no upstream available (2 upstreams, 0 available)")
                .satisfies(e -> {
                    NoUpstreamAvailableException none = (NoUpstreamAvailableException) e;
                    assertThat(none.balancer()).isEqualTo("test");
                    assertThat(none.upstreams()).isEqualTo(2);
                    assertThat(none.available()).isZero();
                });
    }

    @Test
    void passiveChecksMarkDownAfterMaxFailsWithinFailDurationAndForget() {
        LoadBalancer lb = balancer(policy(LoadBalancingPolicy.first()).failDuration(Duration.ofSeconds(30)).maxFails(2)
                .unhealthyStatus(503).unhealthyLatency(Duration.ofSeconds(2)), A, B);
        List<LoadBalancerEvent> events = new ArrayList<>();
        lb.addListener(events::add);
        lb.pick().complete(503);
        assertThat(pickAndClose(lb, PickRequest.none())).isEqualTo(A);   // one failure: still up
        ticker.advance(Duration.ofSeconds(31));                          // forgotten
        lb.pick().complete(503);
        assertThat(pickAndClose(lb, PickRequest.none())).isEqualTo(A);
        Lease slow = lb.pick();
        ticker.advance(Duration.ofSeconds(3));
        slow.complete(200);                                              // too slow: second failure
        assertThat(pickAndClose(lb, PickRequest.none())).isEqualTo(B);
        assertThat(events).containsExactly(
                new LoadBalancerEvent.UpstreamMarkedDown("test", A, Duration.ofSeconds(30), "status 200"));
        ticker.advance(Duration.ofSeconds(30));
        assertThat(pickAndClose(lb, PickRequest.none())).isEqualTo(A);   // back after fail_duration
    }

    @Test
    void failDurationZeroMeansNoPassiveChecks() {
        LoadBalancer lb = balancer(policy(LoadBalancingPolicy.first()), A, B);
        for (int i = 0; i < 5; i++) {
            lb.pick().fail();
        }
        assertThat(pickAndClose(lb, PickRequest.none())).isEqualTo(A);
    }

    @Test
    void activeChecksNeedConsecutivePassesAndFails() {
        Map<HostAndPort, Integer> status = new ConcurrentHashMap<>(Map.of(A, 200, B, 200));
        LoadBalancer lb = LoadBalancer.custom("hc").ticker(ticker)
                .config(policy(LoadBalancingPolicy.first()).healthUri("/api/health").healthFails(2).healthPasses(3)
                        .healthStatus("200").build())
                .upstreams(List.of(A, B))
                .healthProbe((u, uri, timeout) -> {
                    assertThat(uri).isEqualTo("/api/health");
                    int s = status.get(u);
                    return s < 0 ? CompletableFuture.failedFuture(new IOException("connection refused"))
                            : CompletableFuture.completedFuture(s);
                }).build();
        status.put(A, 204);   // 204 is not the expected 200
        lb.checkHealth().join();
        assertThat(lb.upstreams().get(0).isHealthy()).isTrue();          // one fail of two
        status.put(A, -1);
        lb.checkHealth().join();
        assertThat(lb.upstreams().get(0).isHealthy()).isFalse();
        assertThat(pickAndClose(lb, PickRequest.none())).isEqualTo(B);
        status.put(A, 200);
        lb.checkHealth().join();
        lb.checkHealth().join();
        assertThat(lb.upstreams().get(0).isHealthy()).isFalse();         // two passes of three
        lb.checkHealth().join();
        assertThat(pickAndClose(lb, PickRequest.none())).isEqualTo(A);
    }

    @Test
    void aThrowingListenerBreaksNeitherPicksNorChecksAndTheOthersHearEveryEvent() {
        Map<HostAndPort, Integer> status = new ConcurrentHashMap<>(Map.of(A, 200, B, 200));
        LoadBalancer lb = LoadBalancer.custom("hc").ticker(ticker)
                .config(policy(LoadBalancingPolicy.first()).healthUri("/h").healthFails(1).healthPasses(1)
                        .healthStatus("200").failDuration(Duration.ofSeconds(10)).maxFails(1).unhealthyStatus(502).build())
                .upstreams(List.of(A, B))
                .healthProbe((u, uri, timeout) -> CompletableFuture.completedFuture(status.get(u))).build();
        List<LoadBalancerEvent> heard = new ArrayList<>();
        lb.addListener(event -> {
            throw new IllegalStateException("listener bug");
        });
        lb.addListener(heard::add);
        try (CapturedLog log = CapturedLog.open()) {
            status.put(A, 503);
            lb.checkHealth().join();
            assertThat(pickAndClose(lb, PickRequest.none())).isEqualTo(B);
            status.put(A, 200);
            lb.checkHealth().join();
            lb.pick().complete(502);                                     // A is marked down for 10 s
            assertThat(pickAndClose(lb, PickRequest.none())).isEqualTo(B);
            lb.setUpstreams(List.of(B, C));
            assertThat(pickAndClose(lb, PickRequest.none())).isEqualTo(B);
            assertThat(log.linesContaining("failed on")).hasSize(5)
                    .allMatch(l -> l.contains("WARN io.generalbots.scaling.event.EventPublisher - balancer hc: listener "));
        }
        assertThat(heard).containsExactly(
                new LoadBalancerEvent.UpstreamUnhealthy("hc", A, "status 503"),
                new LoadBalancerEvent.UpstreamHealthy("hc", A, "status 200"),
                new LoadBalancerEvent.UpstreamMarkedDown("hc", A, Duration.ofSeconds(10), "status 502"),
                new LoadBalancerEvent.UpstreamAdded("hc", C),
                new LoadBalancerEvent.UpstreamRemoved("hc", A, 0));
    }

    @Test
    void aHangingHealthCheckNeverBlocksAPick() {
        CompletableFuture<Integer> never = new CompletableFuture<>();
        LoadBalancer lb = LoadBalancer.custom("hang").ticker(ticker)
                .config(policy(LoadBalancingPolicy.roundRobin()).healthUri("/h").build())
                .upstreams(List.of(A, B)).healthProbe((u, uri, t) -> never).build();
        CompletableFuture<Void> round = lb.checkHealth();
        assertThat(round).isNotDone();
        assertThat(pickAndClose(lb, PickRequest.none())).isIn(A, B);
    }

    @Test
    void executeRetriesIdempotentCallsOnAnotherUpstreamWithinTryDuration() throws Exception {
        LoadBalancer lb = balancer(policy(LoadBalancingPolicy.first()).tryDuration(Duration.ofSeconds(1))
                .tryInterval(Duration.ofMillis(250)), A, B);
        List<HostAndPort> calls = new ArrayList<>();
        String result = lb.execute(PickRequest.none(), lease -> {
            calls.add(lease.address());
            if (lease.address().equals(A)) {
                throw new IOException("connection refused");
            }
            return "ok from " + lease.address();
        });
        assertThat(result).isEqualTo("ok from 10.0.0.2:8080");
        assertThat(calls).containsExactly(A, B);
        assertThat(slept).containsExactly(Duration.ofMillis(250));
    }

    @Test
    void executeGivesUpAfterTryDurationWithTheLastFailure() {
        LoadBalancer lb = balancer(policy(LoadBalancingPolicy.roundRobin()).tryDuration(Duration.ofSeconds(1)), A, B);
        assertThatThrownBy(() -> lb.execute(PickRequest.none(), lease -> {
            throw new IOException("refused by " + lease.address());
        })).isInstanceOf(IOException.class).hasMessageStartingWith("refused by 10.0.0.");
        assertThat(slept).hasSize(4);   // tries at 0, .25, .5, .75, 1.0 s
        assertThat(lb.upstreams()).allSatisfy(u -> assertThat(u.activeRequests()).isZero());
    }

    @Test
    void anErrorInTheCallStillCompletesTheLease() {
        LoadBalancer lb = balancer(policy(LoadBalancingPolicy.leastConn()), A, B);
        assertThatThrownBy(() -> lb.execute(PickRequest.none(), lease -> {
            throw new StackOverflowError("deep");
        })).isInstanceOf(StackOverflowError.class).hasMessage("deep");
        assertThat(lb.upstreams()).allSatisfy(u -> assertThat(u.activeRequests()).isZero());
    }

    @Test
    void executeOnceNeverRetries() {
        LoadBalancer lb = balancer(policy(LoadBalancingPolicy.roundRobin()).tryDuration(Duration.ofSeconds(5)), A, B);
        List<HostAndPort> calls = new ArrayList<>();
        assertThatThrownBy(() -> lb.executeOnce(PickRequest.none(), lease -> {
            calls.add(lease.address());
            throw new IOException("boom");
        })).hasMessage("boom");
        assertThat(calls).hasSize(1);
        assertThat(slept).isEmpty();
    }

    @Test
    void executeWaitsForAnUpstreamToComeBackWithinTryDuration() throws Exception {
        AtomicReference<LoadBalancer> ref = new AtomicReference<>();
        LoadBalancer lb = LoadBalancer.custom("wait").ticker(ticker).sleeper(d -> {
            ticker.advance(d);
            setDown(ref.get(), false, A);   // while the caller waits, the next health check passes
        }).config(policy(LoadBalancingPolicy.first()).tryDuration(Duration.ofSeconds(2)).build())
                .healthProbe((u, uri, timeout) -> CompletableFuture.completedFuture(down.contains(u) ? 503 : 200))
                .upstreams(List.of(A)).build();
        ref.set(lb);
        setDown(lb, true, A);
        assertThatThrownBy(() -> lb.executeOnce(PickRequest.none(), l -> "x"))
                .isInstanceOf(NoUpstreamAvailableException.class)
                .hasMessage("balancer wait: no upstream available (1 upstreams, 0 available)");
        String result = lb.execute(PickRequest.none(), l -> "x from " + l.address());
        assertThat(result).isEqualTo("x from 10.0.0.1:8080");
    }

    @Test
    void removedUpstreamGetsNoNewPicksButItsLeaseCompletes() {
        LoadBalancer lb = balancer(policy(LoadBalancingPolicy.leastConn()), A, B);
        List<LoadBalancerEvent> events = new ArrayList<>();
        lb.addListener(events::add);
        Lease onA = lb.pick();
        Upstream upstream = onA.upstream();
        lb.setUpstreams(List.of(C, onA.address().equals(A) ? B : A));
        assertThat(upstream.isRemoved()).isTrue();
        for (int i = 0; i < 20; i++) {
            assertThat(pickAndClose(lb, PickRequest.none())).isNotEqualTo(upstream.address());
        }
        onA.complete(200);
        assertThat(upstream.activeRequests()).isZero();
        assertThat(events).containsExactly(new LoadBalancerEvent.UpstreamAdded("test", C),
                new LoadBalancerEvent.UpstreamRemoved("test", upstream.address(), 1));
    }

    @Test
    void keptUpstreamsKeepTheirState() {
        LoadBalancer lb = balancer(policy(LoadBalancingPolicy.leastConn()), A, B);
        Upstream a = lb.upstreams().get(0);
        lb.setUpstreams(List.of(B, A, C));
        assertThat(lb.upstreams().get(1)).isSameAs(a);
        assertThat(lb.upstreams()).extracting(Upstream::address).containsExactly(B, A, C);
    }

    @Test
    void duplicatesAreRefused() {
        LoadBalancer lb = balancer(policy(LoadBalancingPolicy.first()), A);
        assertThatThrownBy(() -> lb.setUpstreams(List.of(A, B, A)))
                .hasMessage("upstreams must be without duplicates, but was [10.0.0.1:8080, 10.0.0.2:8080, 10.0.0.1:8080]");
    }

    @Test
    void peakEwmaRanksFastErrorsBelowSlowAnswers() {
        LoadBalancer lb = balancer(policy(LoadBalancingPolicy.peakEwma()).errorPenalty(Duration.ofSeconds(1)), A, B, C);
        Map<HostAndPort, Integer> count = new HashMap<>();
        for (int i = 0; i < 3000; i++) {
            Lease lease = lb.pick();
            count.merge(lease.address(), 1, Integer::sum);
            if (lease.address().equals(A)) {
                ticker.advance(Duration.ofMillis(200));     // slow
                lease.complete(200);
            } else if (lease.address().equals(B)) {
                ticker.advance(Duration.ofMillis(1));       // fast errors
                lease.complete(503);
            } else {
                ticker.advance(Duration.ofMillis(10));
                lease.complete(200);
            }
        }
        // P2C never picks the worst of a pair: the fast-error upstream (penalised as 1 s) is the
        // worst, the slow one gets only the pairs without C (a third), the good one the rest
        assertThat(count.getOrDefault(B, 0)).isLessThan(150);
        assertThat(count.get(C)).isGreaterThan(1800);
    }

    /** A balancer whose probe reports the thread it runs on. */
    private LoadBalancer.Builder probing(List<Thread> probedOn) {
        return LoadBalancer.custom("test")
                .config(LoadBalancerConfig.custom().healthUri("/health").healthInterval(Duration.ofHours(1)).build())
                .upstreams(List.of(A))
                .healthProbe((u, uri, timeout) -> {
                    probedOn.add(Thread.currentThread());
                    return CompletableFuture.completedFuture(200);
                });
    }

    @Test
    void ownHealthThreadIsADaemonNamedForTheBalancerAndStopsOnClose() {
        List<Thread> probedOn = new CopyOnWriteArrayList<>();
        LoadBalancer lb = probing(probedOn).build().start();
        Await.until("the first round", Duration.ofSeconds(10), () -> !probedOn.isEmpty());
        Thread t = probedOn.get(0);
        assertThat(t.getName()).isEqualTo("gb-lb-health-test");
        assertThat(t.isDaemon()).isTrue();
        lb.close();
        Await.until("the balancer's own thread ends", Duration.ofSeconds(10), () -> !t.isAlive());
    }

    @Test
    void aHostThreadFactoryMakesTheHealthThreadAndItsSchedulerStopsOnClose() {
        RecordingThreadFactory recording = new RecordingThreadFactory("host-health");
        List<Thread> made = recording.made();
        List<Thread> probedOn = new CopyOnWriteArrayList<>();
        LoadBalancer lb = probing(probedOn).threadFactory(recording).build();
        assertThat(made).as("no thread before start").isEmpty();
        lb.start();
        lb.start();
        Await.until("the first round", Duration.ofSeconds(10), () -> !probedOn.isEmpty());
        assertThat(made).hasSize(1);
        assertThat(probedOn).containsExactly(made.get(0));
        assertThat(made.get(0).getName()).isEqualTo("host-health-0");
        lb.close();
        Await.until("the scheduler made with the host's factory ends", Duration.ofSeconds(10),
                () -> !made.get(0).isAlive());
        assertThatThrownBy(() -> LoadBalancer.custom("x").threadFactory(null)).hasMessage("threadFactory");
    }

    @Test
    void aHostSchedulerRunsTheChecksAndIsNotShutDownByClose() throws Exception {
        ScheduledExecutorService host = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "host-sched"));
        try {
            List<Thread> probedOn = new CopyOnWriteArrayList<>();
            RecordingThreadFactory factory = new RecordingThreadFactory("unused");
            List<Thread> made = factory.made();
            LoadBalancer lb = probing(probedOn).scheduler(host).threadFactory(factory).build().start();
            Await.until("the first round", Duration.ofSeconds(10), () -> !probedOn.isEmpty());
            assertThat(probedOn.get(0).getName()).isEqualTo("host-sched");
            assertThat(made).as("a host scheduler wins over a thread factory").isEmpty();
            lb.close();
            assertThat(host.isShutdown()).isFalse();
            assertThat(host.submit(() -> "still runs").get(10, TimeUnit.SECONDS)).isEqualTo("still runs");
        } finally {
            host.shutdownNow();
        }
    }
}
