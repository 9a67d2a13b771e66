package io.generalbots.failover.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.generalbots.scaling.health.HealthCheckResult;
import io.generalbots.scaling.testing.Await;
import io.generalbots.scaling.testing.RecordingThreadFactory;

/**
 * Whose threads the aggregator runs on (API.md, "threads"): its own daemon threads named
 * {@code gb-health-check-N} and {@code gb-health-refresh-N}, the host's thread factory, or the
 * host's executor and scheduler, which survive {@link HealthAggregator#close()}.
 */
class HealthAggregatorThreadsTest {

    private final List<Thread> checkedOn = new CopyOnWriteArrayList<>();

    private HealthAggregator.Builder builder() {
        return HealthAggregator.custom().version("6.1.0").retries(0).interval(Duration.ofMillis(10))
                .check("database", () -> {
                    checkedOn.add(Thread.currentThread());
                    return HealthCheckResult.up();
                });
    }

    private void awaitRounds(int rounds) {
        Await.until(rounds + " rounds of checks", Duration.ofSeconds(10), () -> checkedOn.size() >= rounds);
    }

    @Test
    void itsOwnThreadsAreDaemonsNamedGbHealth() {
        try (HealthAggregator health = builder().build()) {
            health.refresh().join();
            assertThat(checkedOn).hasSize(1);
            assertThat(checkedOn.get(0).getName()).startsWith("gb-health-check-");
            assertThat(checkedOn.get(0).isDaemon()).isTrue();
        }
    }

    @Test
    void theHostsThreadFactoryMakesTheCheckAndRefreshThreads() {
        RecordingThreadFactory factory = new RecordingThreadFactory("host");
        List<Thread> made = factory.made();
        try (HealthAggregator health = builder().threadFactory(factory).build().start()) {
            awaitRounds(2);
            assertThat(checkedOn).allMatch(made::contains);
            // one refresh thread and at least one check thread, all the host's
            assertThat(made).hasSizeGreaterThanOrEqualTo(2).noneMatch(t -> t.getName().startsWith("gb-health"));
        }
    }

    @Test
    void theHostsExecutorAndSchedulerRunTheRoundsAndAreStillRunningAfterClose() throws Exception {
        List<Thread> hostThreads = new CopyOnWriteArrayList<>();
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "host-check");
            t.setDaemon(true);
            hostThreads.add(t);
            return t;
        });
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "host-refresh");
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        try {
            HealthAggregator health = builder().executor(executor).scheduler(scheduler).build().start();
            awaitRounds(2);
            assertThat(checkedOn).allMatch(hostThreads::contains);
            health.close();
            // the aggregator's task is gone from the host's scheduler, which still runs
            Await.until("the refresh task cancelled", Duration.ofSeconds(10), () -> scheduler.getQueue().isEmpty());
            assertThat(scheduler.isShutdown()).isFalse();
            assertThat(executor.isShutdown()).isFalse();
            assertThat(scheduler.submit(() -> "still running").get(10, TimeUnit.SECONDS)).isEqualTo("still running");
            assertThat(executor.submit(() -> "still running").get(10, TimeUnit.SECONDS)).isEqualTo("still running");
        } finally {
            scheduler.shutdownNow();
            executor.shutdownNow();
        }
    }

    @Test
    void theBuilderRefusesNulls() {
        assertThatThrownBy(() -> builder().executor(null)).isInstanceOf(NullPointerException.class).hasMessage("executor");
        assertThatThrownBy(() -> builder().scheduler(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("scheduler");
        assertThatThrownBy(() -> builder().threadFactory(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("threadFactory");
    }
}
