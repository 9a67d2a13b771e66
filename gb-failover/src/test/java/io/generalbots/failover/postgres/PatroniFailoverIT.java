package io.generalbots.failover.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import io.generalbots.scaling.health.HealthCheckResult;
import io.generalbots.scaling.testing.Await;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Failover on a real two-node Patroni cluster (etcd, PostgreSQL 15, ttl 10 s) with a writer and a
 * reader running through the library the whole time. One cluster for the whole class: a crash
 * with synchronous replication, a planned switchover, then a crash with asynchronous replication.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PatroniFailoverIT {

    private PatroniCluster cluster;
    private FailoverDataSource db;
    private final List<FailoverEvent.PrimaryChanged> events = new CopyOnWriteArrayList<>();
    private Counter changes;

    @BeforeAll
    void startCluster() throws Exception {
        cluster = PatroniCluster.start(2, true);
        FailoverLoad.createTable(cluster.postgres(cluster.leader()));
        db = FailoverDataSource.of(PostgresFailoverConfig.custom()
                .name("patroni-it")
                .discovery(PrimaryDiscoveryMode.PATRONI)
                .hosts(cluster.postgresHosts())
                .patroniEndpoints(cluster.apiEndpoints())
                .patroniTimeout(Duration.ofSeconds(1))
                .checkInterval(Duration.ofSeconds(1))
                .retryTimeout(Duration.ofSeconds(45))
                .credentials("postgres", null)
                .maximumPoolSize(4)
                .minimumIdle(1)
                .connectionTimeout(Duration.ofSeconds(2))
                .readPool(true)
                .readPoolSize(2)
                .readMaxLag(16 * 1024 * 1024)
                .build());
        db.addListener(e -> {
            if (e instanceof FailoverEvent.PrimaryChanged changed) {
                events.add(changed);
            }
        });
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        PostgresFailoverMetrics.of(db).bindTo(meters);
        changes = meters.get(PostgresFailoverMetrics.PRIMARY_CHANGES).counter();
    }

    @AfterAll
    void stopCluster() {
        if (db != null) {
            db.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void healthReportsThePrimaryAndTheSynchronousReplica() throws Exception {
        int leader = cluster.leader();
        // Patroni reports the replica's lag as of its last loop (loop_wait 2 s): right after
        // bring-up it can still show the bootstrap's WAL (seen on CI: lag=141544); an idle
        // synchronous replica reaches 0 within a few loops
        HealthCheckResult result = Await.until("the synchronous replica's lag at 0", Duration.ofSeconds(20),
                () -> {
                    try {
                        return db.healthCheck().check();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, r -> String.valueOf(r.details().get("replicas")).contains("lag=0"));

        assertThat(result.status()).isEqualTo(HealthCheckResult.Status.UP);
        assertThat(result.details()).containsEntry("primary", cluster.postgres(leader).toString())
                .containsEntry("pool", "patroni-it");
        assertThat(result.details().get("replicas").toString())
                .contains(cluster.postgres(1 - leader).toString()).contains("sync_standby").contains("lag=0");
        assertThat(db.refreshPrimary("test")).contains(cluster.postgres(leader));
    }

    @Test
    @Order(2)
    void crashWithSynchronousReplicationLosesNoAcknowledgedWrite() throws Exception {
        int old = cluster.leader();
        FailoverScenarios.Run run = FailoverScenarios.patroniKill(cluster, db, true, 1);
        Results.record("PatroniFailoverIT sync crash", run);

        assertThat(run.lost()).as("acknowledged writes missing on the new primary: %s", run.lostAcks()).isZero();
        assertThat(run.replicaWrites()).as("write connections to a replica").isZero();
        assertThat(run.writeFailures()).as("executeIdempotent calls that gave up").isZero();
        assertThat(run.readFailures()).as("read() calls that failed: %s", run.failureSample()).isZero();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).previous()).isEqualTo(cluster.postgres(old));
        assertThat(events.get(0).current()).isEqualTo(cluster.postgres(1 - old));
        assertThat(changes.count()).isEqualTo(1.0);
        HealthCheckResult health = db.healthCheck().check();
        assertThat(health.details()).containsEntry("primary", cluster.postgres(1 - old).toString());
        assertThat(health.status()).as("one node left: no failover possible").isEqualTo(HealthCheckResult.Status.DEGRADED);

        cluster.restart(old);
    }

    @Test
    @Order(3)
    void switchoverMovesWritesAndNeverWritesToTheDemotedNode() throws Exception {
        int old = cluster.leader();
        int target = 1 - old;
        int before = events.size();
        cluster.awaitSyncStandby();
        FailoverLoad load = new FailoverLoad(db, 1_000_000, true);
        try {
            load.awaitAcksOn(cluster.postgres(old).port(), 0, 10, 30_000);
            long t0 = System.nanoTime();
            cluster.switchover(target);
            load.awaitAcksOn(cluster.postgres(target).port(), t0, 20, 60_000);
        } finally {
            load.close();
        }
        assertThat(load.replicaWrites()).as("write connections to the demoted primary").isZero();
        assertThat(load.missingOn(cluster.postgres(target))).isEmpty();
        assertThat(load.writeFailures()).isEmpty();
        assertThat(load.readFailures()).extracting(Throwable::toString).isEmpty();
        assertThat(events).hasSize(before + 1);
        assertThat(events.get(before).current()).isEqualTo(cluster.postgres(target));
        cluster.await("the old primary back as a replica", () -> cluster.isReplica(old), Duration.ofSeconds(60));
    }

    @Test
    @Order(4)
    void crashWithAsynchronousReplicationIsMeasured() throws Exception {
        cluster.patchConfig("{\"synchronous_mode\": false}");
        cluster.await("asynchronous replication", () -> !cluster.cluster().contains("sync_standby"),
                Duration.ofSeconds(30));
        FailoverScenarios.Run run = FailoverScenarios.patroniKill(cluster, db, true, 2_000_000);
        Results.record("PatroniFailoverIT async crash", run);

        // the loss itself is measured and reported, not asserted: asynchronous replication may lose
        // what the dead primary acknowledged but had not yet shipped
        assertThat(run.lost()).isLessThanOrEqualTo(run.acked());
        assertThat(run.replicaWrites()).isZero();
        assertThat(run.writeFailures()).isZero();
        assertThat(run.readFailures()).as("failed reads: %s", run.failureSample()).isZero();
        assertThat(changes.count()).isEqualTo(3.0);
    }
}
