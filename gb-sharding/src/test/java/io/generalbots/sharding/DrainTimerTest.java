package io.generalbots.sharding;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.generalbots.scaling.testing.Await;
import io.generalbots.scaling.testing.RecordingThreadFactory;
import org.junit.jupiter.api.Test;

/** Where the forced close of an evicted pool runs, and what close() stops: API.md's thread rules. */
class DrainTimerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void ownThreadIsTheDaemonGbShardDrainAndCloseStopsIt() throws Exception {
        DrainTimer timer = new DrainTimer(null, null);
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        assertThat(timer.schedule(() -> ranOn.complete(Thread.currentThread()), Duration.ZERO)).isTrue();
        Thread thread = ranOn.get(30, TimeUnit.SECONDS);
        assertThat(thread.getName()).isEqualTo("gb-shard-drain");
        assertThat(thread.isDaemon()).isTrue();
        timer.close();
        Await.until("gb-shard-drain stopped", WAIT, () -> !thread.isAlive());
    }

    @Test
    void aHostThreadFactoryMakesTheThreadAndCloseStopsIt() throws Exception {
        RecordingThreadFactory recording = new RecordingThreadFactory("host-drain");
        List<Thread> made = recording.made();
        DrainTimer timer = new DrainTimer(null, recording);
        assertThat(made).as("no thread before a pool needs draining").isEmpty();
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        timer.schedule(() -> ranOn.complete(Thread.currentThread()), Duration.ZERO);
        assertThat(ranOn.get(30, TimeUnit.SECONDS)).isSameAs(made.get(0));
        timer.schedule(() -> { }, Duration.ZERO);
        assertThat(made).hasSize(1);
        timer.close();
        Await.until("host-drain-0 stopped", WAIT, () -> !made.get(0).isAlive());
    }

    /**
     * A task that starts before {@code schedule} has returned (a zero delay on an idle scheduler)
     * must still be forgotten once it ran. The scheduler here holds {@code schedule} until its
     * worker has either run the task or is parked waiting (on the timer's lock), which is the
     * interleaving that once left the task counted as pending for good.
     */
    @Test
    void aTaskThatStartsBeforeScheduleReturnsIsNotLeftPending() throws Exception {
        ScheduledThreadPoolExecutor host = new ScheduledThreadPoolExecutor(1) {
            @Override
            public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
                AtomicBoolean finished = new AtomicBoolean();
                Thread[] runner = new Thread[1];
                ScheduledFuture<?> f = super.schedule(() -> {
                    runner[0] = Thread.currentThread();
                    try {
                        command.run();
                    } finally {
                        finished.set(true);
                    }
                }, delay, unit);
                Await.until("the task ran or waits for the timer", WAIT, () -> finished.get()
                        || (runner[0] != null && runner[0].getState() == Thread.State.WAITING));
                return f;
            }
        };
        try {
            DrainTimer timer = new DrainTimer(host, null);
            CompletableFuture<Boolean> ran = new CompletableFuture<>();
            assertThat(timer.schedule(() -> ran.complete(true), Duration.ZERO)).isTrue();
            assertThat(ran.get(30, TimeUnit.SECONDS)).isTrue();
            Await.until("the task that ran is no longer pending", WAIT, () -> timer.pending() == 0);
            timer.close();
        } finally {
            host.shutdownNow();
        }
    }

    @Test
    void withAHostSchedulerTheFactoryIsNeverAsked() throws Exception {
        ScheduledExecutorService host = Executors.newSingleThreadScheduledExecutor();
        try {
            DrainTimer timer = new DrainTimer(host, r -> {
                throw new AssertionError("the factory was asked for a thread although the host gave a scheduler");
            });
            CompletableFuture<Boolean> ran = new CompletableFuture<>();
            assertThat(timer.schedule(() -> ran.complete(true), Duration.ZERO)).isTrue();
            assertThat(ran.get(30, TimeUnit.SECONDS)).isTrue();
            timer.close();
        } finally {
            host.shutdownNow();
        }
    }

    @Test
    void aHostSchedulerRunsTheTasksAndSurvivesCloseWhichCancelsThePendingOnes() throws Exception {
        ScheduledThreadPoolExecutor host = new ScheduledThreadPoolExecutor(1);
        host.setRemoveOnCancelPolicy(true);
        try {
            DrainTimer timer = new DrainTimer(host, null);
            CompletableFuture<String> ranOn = new CompletableFuture<>();
            timer.schedule(() -> ranOn.complete(Thread.currentThread().getName()), Duration.ZERO);
            assertThat(ranOn.get(30, TimeUnit.SECONDS)).startsWith("pool-");
            Await.until("the task that ran is no longer pending", WAIT, () -> timer.pending() == 0);

            AtomicBoolean late = new AtomicBoolean();
            timer.schedule(() -> late.set(true), Duration.ofHours(1));
            assertThat(timer.pending()).isEqualTo(1);
            assertThat(host.getQueue()).hasSize(1);
            timer.close();
            assertThat(timer.pending()).isZero();
            assertThat(host.getQueue()).as("the pending forced close was cancelled").isEmpty();
            assertThat(host.isShutdown()).as("the host's scheduler is the host's").isFalse();
            assertThat(host.submit(() -> "still running").get(30, TimeUnit.SECONDS)).isEqualTo("still running");
            assertThat(late).isFalse();

            assertThat(timer.schedule(() -> late.set(true), Duration.ZERO)).as("nothing runs after close").isTrue();
            assertThat(host.getQueue()).isEmpty();
        } finally {
            host.shutdownNow();
        }
    }

    @Test
    void aHostSchedulerThatWasShutDownIsToldToTheCaller() {
        ScheduledThreadPoolExecutor host = new ScheduledThreadPoolExecutor(1);
        host.shutdown();
        DrainTimer timer = new DrainTimer(host, null);
        assertThat(timer.schedule(() -> { }, Duration.ZERO)).isFalse();
        assertThat(timer.pending()).isZero();
    }
}
