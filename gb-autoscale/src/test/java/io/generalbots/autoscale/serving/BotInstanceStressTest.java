package io.generalbots.autoscale.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.generalbots.scaling.testing.ManualTicker;
import org.junit.jupiter.api.Test;

/**
 * Invariants under contention: the in-flight count is never negative and ends at 0, the count of
 * served requests is exact, and a drain begun in the middle of the load refuses every later
 * request, lets every admitted one finish, and ends drained exactly when the last one does.
 */
class BotInstanceStressTest {

    private static final int THREADS = 8;
    private static final int REQUESTS = 20_000;

    @Test
    void countsAreExactAndInFlightNeverNegative() throws Exception {
        ManualTicker ticker = new ManualTicker();
        BotInstance instance = BotInstance.of(InstanceConfig.custom().ticker(ticker).build());
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong negative = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 2);
        try {
            Future<?> watcher = pool.submit(() -> {
                while (!stop.get()) {
                    if (instance.inFlight() < 0 || instance.load().inFlight() < 0) {
                        negative.incrementAndGet();
                    }
                }
            });
            Future<?> clock = pool.submit(() -> {
                // time moves while requests run, within one minute: slots roll over under load
                for (int i = 0; i < 50 && !stop.get(); i++) {
                    ticker.advance(Duration.ofMillis(1000));
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                workers.add(pool.submit(() -> {
                    start.await();
                    for (int r = 0; r < REQUESTS; r++) {
                        BotInstance.Ticket ticket = instance.admit();
                        if ((r + id) % 7 == 0) {
                            ticket.close();                       // as if the handler threw
                        } else {
                            ticket.end(200);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> w : workers) {
                w.get(60, TimeUnit.SECONDS);
            }
            clock.get(60, TimeUnit.SECONDS);
            stop.set(true);
            watcher.get(10, TimeUnit.SECONDS);
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        assertThat(negative).hasValue(0);
        assertThat(instance.inFlight()).isZero();
        LoadSnapshot load = instance.load();
        assertThat(load.requestsPerMinute()).isEqualTo((long) THREADS * REQUESTS);
        long failed = 0;
        for (int t = 0; t < THREADS; t++) {
            for (int r = 0; r < REQUESTS; r++) {
                if ((r + t) % 7 == 0) {
                    failed++;
                }
            }
        }
        assertThat(load.errorsPerMinute()).isEqualTo(failed);
    }

    @Test
    void aDrainInTheMiddleOfTheLoadLetsEveryAdmittedRequestFinish() throws Exception {
        BotInstance instance = BotInstance.of(InstanceConfig.custom().drainTimeout(Duration.ofSeconds(30)).build());
        AtomicLong admitted = new AtomicLong();
        AtomicLong finished = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong admittedAfterDrained = new AtomicLong();
        AtomicLong endedAfterDrained = new AtomicLong();
        CountDownLatch drainCalled = new CountDownLatch(1);
        AtomicBoolean drainStarted = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> workers = new ArrayList<>();
        try {
            for (int t = 0; t < THREADS; t++) {
                workers.add(pool.submit(() -> {
                    start.await();
                    for (int r = 0; r < REQUESTS; r++) {
                        BotInstance.Ticket ticket = instance.admit();
                        if (ticket == null) {
                            refused.incrementAndGet();
                            continue;
                        }
                        if (admitted.incrementAndGet() == (long) THREADS * REQUESTS / 4) {
                            // a quarter in: drain from within a request, among the others in flight
                            drainStarted.set(instance.drain());
                            drainCalled.countDown();
                        }
                        if (instance.state() == DrainState.DRAINED) {
                            admittedAfterDrained.incrementAndGet();
                        }
                        if (r % 64 == 0) {
                            Thread.yield();                      // let the drain land among requests in flight
                        }
                        finished.incrementAndGet();
                        if (instance.state() == DrainState.DRAINED) {
                            endedAfterDrained.incrementAndGet();
                        }
                        ticket.end(200);
                    }
                    return null;
                }));
            }
            start.countDown();
            assertThat(drainCalled.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(drainStarted).isTrue();
            assertThat(instance.awaitDrained(Duration.ofSeconds(30))).isTrue();
            long finishedAtDrained = finished.get();
            for (Future<?> w : workers) {
                w.get(60, TimeUnit.SECONDS);
            }
            assertThat(finished.get()).as("nothing was admitted after the drain completed")
                    .isEqualTo(finishedAtDrained);
        } finally {
            pool.shutdownNow();
        }
        assertThat(admittedAfterDrained).hasValue(0);
        assertThat(endedAfterDrained).hasValue(0);
        assertThat(admitted.get() + refused.get()).isEqualTo((long) THREADS * REQUESTS);
        assertThat(finished.get()).isEqualTo(admitted.get());
        assertThat(refused.get()).isPositive();
        assertThat(instance.inFlight()).isZero();
        assertThat(instance.state()).isEqualTo(DrainState.DRAINED);
        assertThat(instance.load().requestsPerMinute()).isEqualTo(admitted.get());
    }
}
