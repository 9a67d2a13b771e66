package io.generalbots.failover.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.generalbots.scaling.testing.ManualTicker;

class BreakerStressTest {

    private static final int THREADS = 8;
    private static final int CALLS = 5_000;

    private final ManualTicker ticker = new ManualTicker();
    private final BreakerRegistry registry = BreakerRegistry.of(BreakerConfig.custom().failureThreshold(5)
            .waitInOpen(Duration.ofSeconds(1)).halfOpenCalls(3).ticker(ticker).build());
    private final Breaker breaker = registry.breaker("db");
    private final AtomicInteger ran = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();

    @Test
    void underContentionEachTransitionIsReportedOnceAndHalfOpenAdmitsExactlyItsTrials() throws Exception {
        List<String> transitions = new CopyOnWriteArrayList<>();
        AtomicInteger ranWhenOpened = new AtomicInteger(-1);
        registry.addListener(event -> {
            if (event instanceof BreakerEvent.StateChanged s) {
                transitions.add(s.from() + "->" + s.to());
                if (transitions.size() == 1) {
                    ranWhenOpened.set(ran.get());
                }
            }
        });

        hammer();
        // time never moved: the breaker opened once and stayed open
        assertThat(transitions).containsExactly("CLOSED->OPEN");
        assertThat(ran.get()).isGreaterThanOrEqualTo(5);
        // once the change is reported, only calls that had passed the closed state before may still run
        assertThat(ran.get() - ranWhenOpened.get()).isLessThan(THREADS);
        assertThat(ran.get() + rejected.get()).isEqualTo(THREADS * CALLS);

        int before = ran.get();
        ticker.advance(Duration.ofSeconds(1).plusNanos(1));
        hammer();
        // Each half-open state hands out exactly its 3 trial permits; all fail, so it opens again.
        // Usually that happens once. But Resilience4j's OpenState moves to half-open without
        // checking that it is still the current state, so a thread that read the old (expired)
        // open state can start a second half-open round after the breaker re-opened, even with
        // time frozen (seen on CI). What must hold: no transition is reported twice or lost, and
        // no half-open round admits more than its 3 trials.
        long halfOpens = transitions.stream().filter("OPEN->HALF_OPEN"::equals).count();
        long reopens = transitions.stream().filter("HALF_OPEN->OPEN"::equals).count();
        assertThat(transitions.get(0)).isEqualTo("CLOSED->OPEN");
        assertThat(halfOpens).isBetween(1L, (long) THREADS);
        assertThat(reopens).isBetween(halfOpens - 1, halfOpens);
        assertThat(transitions).hasSize(1 + (int) (halfOpens + reopens));
        assertThat(ran.get() - before).isBetween(3, 3 * (int) halfOpens);
    }

    private void hammer() throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < CALLS; i++) {
                    try {
                        breaker.get(() -> {
                            ran.incrementAndGet();
                            throw new IllegalStateException("down");
                        });
                    } catch (BreakerOpenException e) {
                        rejected.incrementAndGet();
                    } catch (IllegalStateException expected) {
                        // a recorded failure
                    }
                }
            });
            workers.add(w);
            w.start();
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
    }
}
