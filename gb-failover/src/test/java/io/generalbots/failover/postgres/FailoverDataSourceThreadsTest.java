package io.generalbots.failover.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.scaling.testing.Await;
import io.generalbots.scaling.testing.RecordingThreadFactory;

/**
 * Whose threads the data source runs on (API.md, "threads"): its own daemon thread named
 * {@code gb-failover-primary-check-NAME}, the host's thread factory, or the host's scheduler, which
 * survives {@link FailoverDataSource#close()}. The background check finds the primary on a stand-in
 * Patroni; the listener sees on which thread.
 */
class FailoverDataSourceThreadsTest {

    private static final HostAndPort PG1 = new HostAndPort("127.0.0.1", 1);

    private final FakePatroni node = new FakePatroni().role(true);
    private final List<Thread> noticedOn = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        node.close();
    }

    private FailoverDataSource.Builder custom(String name) {
        return FailoverDataSource.custom(PostgresFailoverConfig.custom()
                        .name(name)
                        .discovery(PrimaryDiscoveryMode.PATRONI)
                        .hosts(List.of(PG1))
                        .patroniEndpoints(List.of(node.address()))
                        .checkInterval(Duration.ofMillis(20))
                        .minimumIdle(0)
                        .build())
                .listener(e -> {
                    if (e instanceof FailoverEvent.PrimaryFound) {
                        noticedOn.add(Thread.currentThread());
                    }
                });
    }

    private Thread awaitPrimaryFound() {
        return Await.until("the background check finds the primary", Duration.ofSeconds(10),
                () -> noticedOn.isEmpty() ? null : noticedOn.get(0), t -> t != null);
    }

    @Test
    void itsOwnCheckThreadIsADaemonNamedAfterThePool() {
        try (FailoverDataSource db = custom("shard-9").build()) {
            Thread t = awaitPrimaryFound();
            assertThat(t.getName()).isEqualTo("gb-failover-primary-check-shard-9");
            assertThat(t.isDaemon()).isTrue();
            assertThat(db.primary()).contains(PG1);
        }
    }

    @Test
    void theHostsThreadFactoryMakesTheCheckThreadAndHikarisThreads() {
        RecordingThreadFactory factory = new RecordingThreadFactory("host");
        List<Thread> made = factory.made();
        try (FailoverDataSource db = custom("shard-9").threadFactory(factory).build()) {
            assertThat(awaitPrimaryFound()).isIn(made);
            // HikariCP's housekeeper comes from the same factory
            assertThat(made).hasSizeGreaterThanOrEqualTo(2);
        }
        assertThat(made).noneMatch(t -> t.getName().startsWith("gb-failover-primary-check"));
    }

    @Test
    void theHostsSchedulerRunsTheCheckAndIsStillRunningAfterClose() throws Exception {
        RecordingThreadFactory threads = new RecordingThreadFactory("host-scheduler");
        List<Thread> made = threads.made();
        ScheduledThreadPoolExecutor host = new ScheduledThreadPoolExecutor(1, threads);
        host.setRemoveOnCancelPolicy(true);
        try {
            FailoverDataSource db = custom("shard-9").scheduler(host).build();
            assertThat(awaitPrimaryFound()).isIn(made);
            db.close();
            // the data source's task is gone from the host's scheduler, which still runs
            Await.until("the check task cancelled", Duration.ofSeconds(10), () -> host.getQueue().isEmpty());
            assertThat(host.isShutdown()).isFalse();
            assertThat(host.submit(() -> "still running").get(10, TimeUnit.SECONDS)).isEqualTo("still running");
        } finally {
            host.shutdownNow();
        }
    }

    @Test
    void theBuilderRefusesNulls() {
        FailoverDataSource.Builder b = custom("shard-9");
        assertThatThrownBy(() -> b.scheduler(null)).isInstanceOf(NullPointerException.class).hasMessage("scheduler");
        assertThatThrownBy(() -> b.threadFactory(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("threadFactory");
        assertThatThrownBy(() -> FailoverDataSource.custom(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("config");
    }
}
