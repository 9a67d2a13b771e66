package io.generalbots.failover.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import io.generalbots.scaling.health.HealthCheckResult;

/**
 * Failover without Patroni: pgjdbc's multi-host URL with {@code targetServerType=primary} over a
 * plain streaming pair; the test kills the primary and promotes the standby with
 * {@code pg_ctl promote}, while a writer and a reader run through the library.
 */
class MultiHostFailoverIT {

    @Test
    void writerMovesToThePromotedStandby() throws Exception {
        try (StreamingPair pair = StreamingPair.start()) {
            FailoverLoad.createTable(pair.postgres(0));
            List<FailoverEvent.PrimaryChanged> events = new CopyOnWriteArrayList<>();
            try (FailoverDataSource db = FailoverDataSource.of(PostgresFailoverConfig.custom()
                    .name("multihost-it")
                    .discovery(PrimaryDiscoveryMode.MULTIHOST)
                    .hosts(pair.hosts())
                    .checkInterval(Duration.ofSeconds(1))
                    .retryTimeout(Duration.ofSeconds(30))
                    .credentials("postgres", null)
                    .maximumPoolSize(4)
                    .minimumIdle(1)
                    .connectionTimeout(Duration.ofSeconds(2))
                    .readPool(true)
                    .readPoolSize(2)
                    .build())) {
                db.addListener(e -> {
            if (e instanceof FailoverEvent.PrimaryChanged changed) {
                events.add(changed);
            }
        });
                HealthCheckResult before = db.healthCheck().check();
                assertThat(before.status()).isEqualTo(HealthCheckResult.Status.UP);
                assertThat(before.details()).containsEntry("primary", pair.postgres(0).toString());

                FailoverScenarios.Run run = FailoverScenarios.multihostKill(pair, 0, db, true, 1);
                Results.record("MultiHostFailoverIT crash + pg_ctl promote", run);

                assertThat(run.replicaWrites()).isZero();
                assertThat(run.writeFailures()).isZero();
                assertThat(run.readFailures()).as("failed reads: %s", run.failureSample()).isZero();
                assertThat(events).extracting(FailoverEvent.PrimaryChanged::current).containsExactly(pair.postgres(1));
                assertThat(db.healthCheck().check().details()).containsEntry("primary", pair.postgres(1).toString());
            }
        }
    }
}
