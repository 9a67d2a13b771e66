package io.generalbots.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.generalbots.scaling.config.HostAndPort;

/**
 * Picks from many threads while the upstream set changes: active counts never go negative and
 * return to zero, and no pick that starts after a removal returned gets the removed upstream.
 */
class LoadBalancerStressTest {

    static List<LoadBalancingPolicy> policies() {
        return List.of(LoadBalancingPolicy.roundRobin(), LoadBalancingPolicy.first(), LoadBalancingPolicy.leastConn(),
                LoadBalancingPolicy.ipHash(), LoadBalancingPolicy.cookie("k"), LoadBalancingPolicy.random(),
                LoadBalancingPolicy.randomChoose(2), LoadBalancingPolicy.peakEwma());
    }

    @ParameterizedTest
    @MethodSource("policies")
    void picksRacingWithUpstreamChangesKeepTheInvariants(LoadBalancingPolicy policy) throws Exception {
        List<HostAndPort> all = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            all.add(new HostAndPort("10.0.0." + i, 8080));
        }
        LoadBalancer lb = LoadBalancer.custom("stress")
                .config(LoadBalancerConfig.custom().policy(policy).failDuration(Duration.ofMillis(1)).build())
                .upstreams(all).build();
        int threads = 6;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        // an upstream object gets a removal number once its removal returned
        AtomicInteger removals = new AtomicInteger();
        java.util.Map<Upstream, Integer> removedAt = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.Map<String, AtomicInteger> perPolicy = new java.util.concurrent.ConcurrentHashMap<>();
        AtomicInteger picks = new AtomicInteger();
        List<Upstream> everSeen = new java.util.concurrent.CopyOnWriteArrayList<>(lb.upstreams());
        CountDownLatch started = new CountDownLatch(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            futures.add(pool.submit(() -> {
                started.countDown();
                int n = 0;
                while (!stop.get()) {
                    int removalsBefore = removals.get();
                    Lease lease;
                    try {
                        lease = lb.pick(new PickRequest("172.16." + id + "." + (n++ & 255), null));
                    } catch (NoUpstreamAvailableException e) {
                        perPolicy.computeIfAbsent("none available", k -> new AtomicInteger()).incrementAndGet();
                        continue;
                    }
                    Integer removal = removedAt.get(lease.upstream());
                    if (removal != null && removal <= removalsBefore) {
                        violations.add("picked " + lease.address() + " after its removal returned");
                    }
                    if (lease.upstream().activeRequests() <= 0) {
                        violations.add("active count " + lease.upstream().activeRequests() + " while leased");
                    }
                    picks.incrementAndGet();
                    if ((n & 1023) == 0) {
                        lease.fail();
                    } else {
                        lease.complete(200);
                    }
                    lease.close();   // a second completion must change nothing
                }
            }));
        }
        started.await();
        java.util.Random random = new java.util.Random(42);
        // churn until the workers have made 5,000 picks under it: a count, not a time, so a slow
        // machine runs longer instead of testing less; the cap only catches a hang
        long cap = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        int churns = 0;
        while ((picks.get() < 5_000 || churns < 200) && System.nanoTime() < cap) {
            churns++;
            List<Upstream> current = lb.upstreams();
            Upstream victim = current.get(random.nextInt(current.size()));
            if (current.size() > 1 && lb.removeUpstream(victim.address())) {
                removedAt.put(victim, removals.incrementAndGet());
            }
            Thread.sleep(0, 50_000);
            // re-adding makes a fresh upstream object, which may be picked from now on
            lb.addUpstream(all.get(random.nextInt(all.size())));
            everSeen.addAll(lb.upstreams());
            for (Upstream u : lb.upstreams()) {
                if (u.activeRequests() < 0) {
                    violations.add("negative active count on " + u);
                }
            }
        }
        stop.set(true);
        for (Future<?> f : futures) {
            f.get(10, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(violations).isEmpty();
        assertThat(picks.get()).as("picks under churn (a hang if short); failures: " + perPolicy)
                .isGreaterThanOrEqualTo(5_000);
        everSeen.addAll(lb.upstreams());
        assertThat(everSeen).allSatisfy(u -> assertThat(u.activeRequests()).as(u.toString()).isZero());
    }
}
