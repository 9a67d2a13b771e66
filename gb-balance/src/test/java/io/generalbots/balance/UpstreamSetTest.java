package io.generalbots.balance;

import static io.generalbots.balance.LoadBalancerTest.A;
import static io.generalbots.balance.LoadBalancerTest.B;
import static io.generalbots.balance.LoadBalancerTest.C;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.generalbots.scaling.config.HostAndPort;

class UpstreamSetTest {

    private final UpstreamSet set = new UpstreamSet("lb", LoadBalancerConfig.ofDefaults());

    @Test
    void replacingReportsWhoJoinedAndWhoLeftAndKeepsTheOthers() {
        assertThat(set.set(List.of(A, B))).containsExactly(new LoadBalancerEvent.UpstreamAdded("lb", A),
                new LoadBalancerEvent.UpstreamAdded("lb", B));
        Upstream b = set.snapshot()[1];
        Upstream a = set.snapshot()[0];
        a.acquire();

        assertThat(set.set(List.of(B, C))).containsExactly(new LoadBalancerEvent.UpstreamAdded("lb", C),
                new LoadBalancerEvent.UpstreamRemoved("lb", A, 1));
        assertThat(set.snapshot()).extracting(Upstream::address).containsExactly(B, C);
        assertThat(set.snapshot()[0]).isSameAs(b);
        assertThat(a.removed).as("marked before the new array is published").isTrue();
        assertThat(b.removed).isFalse();
    }

    @Test
    void addAndRemoveChangeOnlyWhatIsNew() {
        set.set(List.of(A));
        assertThat(set.add(A)).isEmpty();
        assertThat(set.add(B)).containsExactly(new LoadBalancerEvent.UpstreamAdded("lb", B));
        assertThat(set.remove(C)).isEmpty();
        assertThat(set.remove(A)).containsExactly(new LoadBalancerEvent.UpstreamRemoved("lb", A, 0));
        assertThat(set.snapshot()).extracting(Upstream::address).containsExactly(B);
    }

    @Test
    void duplicatesAreRefused() {
        assertThatThrownBy(() -> set.set(List.of(A, A)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("upstreams must be without duplicates, but was [10.0.0.1:8080, 10.0.0.1:8080]");
        assertThatThrownBy(() -> set.add(null)).hasMessage("upstream");
    }

    @Test
    void availableCountsOnlyWhatAPickMayChoose() {
        set.set(List.of(A, B, C));
        set.snapshot()[1].activeHealthy = false;
        assertThat(set.available(0)).isEqualTo(2);
        assertThat(UpstreamSet.without(set.snapshot(), Set.of(set.snapshot()[0]))).extracting(Upstream::address)
                .containsExactly(B, C);
    }

    @Test
    void concurrentAddsAndRemovesLoseNoChange() throws Exception {
        int threads = 4;
        int each = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> changes = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int id = t;
                changes.add(pool.submit(() -> {
                    start.await();
                    int n = 0;
                    for (int i = 0; i < each; i++) {
                        HostAndPort u = new HostAndPort("10.1." + id + "." + (i % 250), 8080);
                        n += set.add(u).size();
                        if (i % 2 == 1) {
                            n += set.remove(u).size();
                        }
                    }
                    return n;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : changes) {
                total += f.get(60, TimeUnit.SECONDS);
            }
            // every add is one change, every second one is removed again (one more change)
            assertThat(total).isEqualTo(threads * (each + each / 2));
            assertThat(set.snapshot()).hasSize(threads * each / 2);
        } finally {
            pool.shutdownNow();
        }
    }
}
