package io.generalbots.failover.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.scaling.health.HealthCheckResult;
import io.generalbots.scaling.testing.CapturedLog;
import io.generalbots.scaling.testing.ManualTicker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Discovery, events, the counter and the health check against stand-in Patroni APIs (no
 * PostgreSQL: the pool keeps no idle connections, so it never connects).
 */
class PatroniDiscoveryTest {

    private static final HostAndPort PG1 = new HostAndPort("127.0.0.1", 1);
    private static final HostAndPort PG2 = new HostAndPort("127.0.0.1", 2);

    private FakePatroni node1;
    private FakePatroni node2;
    private FailoverDataSource db;

    @BeforeEach
    void start() {
        node1 = new FakePatroni().role(true);
        node2 = new FakePatroni().role(false);
        ManualTicker ticker = new ManualTicker();
        db = FailoverDataSource.of(PostgresFailoverConfig.custom()
                .name("shard-7")
                .discovery(PrimaryDiscoveryMode.PATRONI)
                .hosts(List.of(PG1, PG2))
                .patroniEndpoints(List.of(node1.address(), node2.address()))
                .checkInterval(Duration.ZERO)
                .minimumIdle(0)
                .readMaxLag(1000)
                .build(), ticker, java.time.Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        db.close();
        node1.close();
        node2.close();
    }

    @Test
    void findsTheNodeAnswering200OnPrimary() {
        assertThat(db.refreshPrimary("test")).contains(PG1);
        assertThat(db.primary()).contains(PG1);
        PatroniClient client = db.patroni().orElseThrow();
        assertThat(client.replicas(-1)).containsExactly(PG2);
    }

    @Test
    void replicasWithinTheLagLimitComeFromReplicaWithLag() {
        node2.answer("/replica?lag=1000", 200);
        node1.answer("/replica?lag=1000", 503);
        PatroniClient client = db.patroni().orElseThrow();
        assertThat(client.replicas(1000)).containsExactly(PG2);
        node2.answer("/replica?lag=1000", 503);
        assertThat(client.replicas(1000)).isEmpty();
        assertThat(client.statusOfAll("/health")).containsExactly(503, 503);
    }

    @Test
    void noPrimaryDuringAnElection() {
        node1.role(false);
        assertThat(db.refreshPrimary("test")).isEmpty();
        assertThat(db.primary()).isEmpty();
    }

    @Test
    void aDeadNodeIsSkipped() {
        node1.close();
        node2.role(true);
        assertThat(db.refreshPrimary("test")).contains(PG2);
    }

    @Test
    void aChangeIsPublishedOnceAndCountedAndAThrowingListenerBreaksNothing() {
        List<FailoverEvent> events = new CopyOnWriteArrayList<>();
        db.addListener(e -> {
            throw new IllegalStateException("a broken listener must not stop the others");
        });
        db.addListener(events::add);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        PostgresFailoverMetrics.of(db).bindTo(meters);
        Counter counter = meters.get(PostgresFailoverMetrics.PRIMARY_CHANGES).counter();
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        try (CapturedLog log = CapturedLog.open()) {
            assertThat(db.refreshPrimary("start")).contains(PG1);
            node1.role(false);
            node2.role(true);
            assertThat(db.handleError(new java.sql.SQLException("terminating connection due to administrator command",
                    "57P01"))).isTrue();
            assertThat(db.refreshPrimary("periodic check")).contains(PG2);
            assertThat(db.refreshPrimary("periodic check")).contains(PG2);
            assertThat(log.linesContaining("failed on")).hasSize(3).allMatch(l -> l.contains(
                    "WARN io.generalbots.scaling.event.EventPublisher - failover pool shard-7: listener "));
        }
        assertThat(events).containsExactly(
                new FailoverEvent.PrimaryFound("shard-7", PG1, t, "start"),
                new FailoverEvent.PrimaryLost("shard-7", PG1, t, "terminating connection due to administrator command"),
                new FailoverEvent.PrimaryChanged("shard-7", PG1, PG2, t, "periodic check"));
        assertThat(counter.count()).isEqualTo(1.0);
        assertThat(counter.getId().getTag("pool")).isEqualTo("shard-7");
        assertThat(db.primary()).contains(PG2);
        // the three refreshes asked (the error may start one more in the background)
        assertThat(meters.get(PostgresFailoverMetrics.DISCOVERY).tags("pool", "shard-7", "result", "found").timer()
                .count()).isGreaterThanOrEqualTo(3);
        assertThat(meters.get(PostgresFailoverMetrics.PRIMARY_KNOWN).tag("pool", "shard-7").gauge().value())
                .isEqualTo(1.0);
        // HikariCP's own pool meters come with the binding, tagged with the pool's name
        assertThat(meters.get("hikaricp.connections.max").tag("pool", "shard-7").gauge()).isNotNull();
    }

    @Test
    void concurrentDiscoveriesPublishEachChangeExactlyOnce() throws Exception {
        List<FailoverEvent.PrimaryChanged> events = new CopyOnWriteArrayList<>();
        db.addListener(e -> {
            if (e instanceof FailoverEvent.PrimaryChanged changed) {
                events.add(changed);
            }
        });
        db.refreshPrimary("start");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 5; round++) {
                boolean toSecond = round % 2 == 0;
                node1.role(!toSecond);
                node2.role(toSecond);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    futures.add(pool.submit(() -> {
                        go.await();
                        db.handleError(new java.sql.SQLException("reset", "08006"));
                        return db.refreshPrimary("race");
                    }));
                }
                go.countDown();
                for (Future<?> f : futures) {
                    f.get(10, TimeUnit.SECONDS);
                }
                assertThat(events).hasSize(round + 1);
                assertThat(events.get(round).current()).isEqualTo(toSecond ? PG2 : PG1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void healthReportsPrimaryReplicasAndLag() throws Exception {
        node1.answer("/cluster", 200, """
                {"members": [
                  {"name": "n1", "role": "leader", "state": "running", "host": "127.0.0.1", "port": 1, "timeline": 2},
                  {"name": "n2", "role": "sync_standby", "state": "streaming", "host": "127.0.0.1", "port": 2, "lag": 0}
                ]}""");
        HealthCheckResult up = db.healthCheck().check();
        assertThat(up.status()).isEqualTo(HealthCheckResult.Status.UP);
        assertThat(up.word()).isEqualTo("ok");
        assertThat(up.details()).containsEntry("primary", "127.0.0.1:1").containsEntry("pool", "shard-7");
        assertThat(up.details().get("replicas").toString()).contains("name=n2", "address=127.0.0.1:2", "lag=0");
        node1.answer("/health", 200);
        assertThat(db.healthCheck().check().details().get("nodes").toString())
                .isEqualTo("{" + node1.address() + "=running, " + node2.address() + "=down}");

        node1.answer("/cluster", 200, """
                {"members": [
                  {"name": "n1", "role": "leader", "state": "running", "host": "127.0.0.1", "port": 1},
                  {"name": "n2", "role": "replica", "state": "streaming", "host": "127.0.0.1", "port": 2, "lag": 5000}
                ]}""");
        HealthCheckResult lagging = db.healthCheck().check();
        assertThat(lagging.status()).isEqualTo(HealthCheckResult.Status.DEGRADED);
        assertThat(lagging.word()).isEqualTo("degraded");

        node1.answer("/cluster", 200, """
                {"members": [{"name": "n2", "role": "replica", "state": "streaming", "host": "127.0.0.1", "port": 2, "lag": 0}]}""");
        HealthCheckResult noLeader = db.healthCheck().check();
        assertThat(noLeader.status()).isEqualTo(HealthCheckResult.Status.DOWN);
        assertThat(noLeader.details()).containsEntry("error", "no leader");
    }

    @Test
    void healthIsDownWhenNoApiAnswers() throws Exception {
        node1.close();
        node2.close();
        HealthCheckResult down = db.healthCheck().check();
        assertThat(down.status()).isEqualTo(HealthCheckResult.Status.DOWN);
        assertThat(down.details().get("error").toString()).startsWith("no Patroni REST API answered on [");
    }

    @Test
    void malformedClusterJsonIsAnError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PatroniClient.parseCluster("{\"nodes\": 1}"))
                .hasMessage("Patroni /cluster answer has no members array: {\"nodes\": 1}");
    }
}
