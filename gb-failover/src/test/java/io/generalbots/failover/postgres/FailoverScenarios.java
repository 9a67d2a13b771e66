package io.generalbots.failover.postgres;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import io.generalbots.scaling.config.HostAndPort;

/**
 * One failover under load, measured: used by the integration tests and by
 * {@link PostgresFailoverBenchmark}.
 */
final class FailoverScenarios {

    /**
     * What one failover looked like.
     *
     * @param mode          patroni or multihost
     * @param promotionMs   kill → the survivor is primary (Patroni: answers 200 on /primary;
     *                      multihost: pg_ctl promote -w returned, started right after the kill)
     * @param resumeMs      kill → first write acknowledged through the library by the new primary
     * @param acked         writes acknowledged in the run
     * @param lost          acknowledged writes missing on the new primary
     * @param lossWindowMs  for lost writes: when the earliest lost one was acknowledged, in ms relative to the
     *                      kill command (negative: before it; 0 when nothing was lost)
     * @param replicaWrites write connections handed out to a server in recovery
     * @param readFailures  read() calls that failed
     * @param writeFailures executeIdempotent() calls that failed
     * @param lostAcks      the lost writes themselves
     * @param failureSample the first few read and write failures
     */
    record Run(String mode, long promotionMs, long resumeMs, int acked, int lost, long lossWindowMs, int replicaWrites,
               int readFailures, int writeFailures, List<FailoverLoad.Ack> lostAcks, List<String> failureSample) {

        @Override
        public String toString() {
            return mode + ": promotion " + promotionMs + " ms, first write through the library " + resumeMs
                    + " ms after the kill, " + acked + " writes acknowledged, " + lost + " lost"
                    + (lost == 0 ? "" : " (the earliest acknowledged at " + lossWindowMs + " ms from the kill)") + ", " + replicaWrites + " writes on a replica, " + readFailures
                    + " failed reads, " + writeFailures + " failed writes";
        }
    }

    private FailoverScenarios() {
    }

    /** Kills the Patroni leader (Patroni and PostgreSQL) while the load runs. */
    static Run patroniKill(PatroniCluster cluster, FailoverDataSource db, boolean reader, long firstId)
            throws SQLException, InterruptedException {
        int old = cluster.leader();
        if (old < 0) {
            throw new IllegalStateException("no leader to kill; /cluster: " + cluster.cluster());
        }
        cluster.awaitStreaming();
        int survivor = (old + 1) % cluster.size();
        HostAndPort oldPg = cluster.postgres(old);
        HostAndPort newPg = cluster.postgres(survivor);
        FailoverLoad load = new FailoverLoad(db, firstId, reader);
        try {
            load.awaitAcksOn(oldPg.port(), 0, 20, 30_000);
            long kill = System.nanoTime();
            System.out.println("killing node" + old + " (" + cluster.postgres(old) + ") at " + java.time.LocalTime.now());
            cluster.kill(old);
            cluster.await("node" + survivor + " promoted", () -> cluster.isPrimary(survivor), Duration.ofSeconds(60));
            long promoted = System.nanoTime();
            System.out.println("node" + survivor + " answers 200 on /primary at " + java.time.LocalTime.now());
            for (int i = 0; i < 12 && load.firstAckOn(newPg.port(), kill) == null; i++) {
                System.out.println("after promotion: " + syncState(newPg));
                PgProcesses.sleep(500);
            }
            load.awaitAcksOn(newPg.port(), kill, 20, 60_000);
            load.close();
            return result("patroni", load, kill, promoted, newPg);
        } finally {
            load.close();
        }
    }

    /** Kills the primary of a streaming pair and promotes the standby at once (pg_ctl promote). */
    static Run multihostKill(StreamingPair pair, int primary, FailoverDataSource db, boolean reader, long firstId)
            throws SQLException, InterruptedException {
        pair.awaitStreaming(primary);
        int survivor = 1 - primary;
        HostAndPort oldPg = pair.postgres(primary);
        HostAndPort newPg = pair.postgres(survivor);
        FailoverLoad load = new FailoverLoad(db, firstId, reader);
        try {
            load.awaitAcksOn(oldPg.port(), 0, 20, 30_000);
            long kill = System.nanoTime();
            pair.kill(primary);
            pair.promote(survivor);
            long promoted = System.nanoTime();
            load.awaitAcksOn(newPg.port(), kill, 20, 60_000);
            load.close();
            return result("multihost", load, kill, promoted, newPg);
        } finally {
            load.close();
        }
    }

    /** synchronous_standby_names and the backends waiting for a synchronous standby, for diagnosis. */
    static String syncState(HostAndPort pg) {
        try (java.sql.Connection c = FailoverLoad.direct(pg); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT current_setting('synchronous_standby_names'), "
                     + "(SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'SyncRep'), pg_is_in_recovery()")) {
            rs.next();
            return java.time.LocalTime.now() + " synchronous_standby_names='" + rs.getString(1) + "', waiting on SyncRep "
                    + rs.getInt(2) + ", in recovery " + rs.getBoolean(3);
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    private static Run result(String mode, FailoverLoad load, long kill, long promoted, HostAndPort newPg)
            throws SQLException {
        FailoverLoad.Ack first = load.firstAckOn(newPg.port(), kill);
        List<FailoverLoad.Ack> missing = load.missingOn(newPg);
        long window = missing.stream().mapToLong(FailoverLoad.Ack::nanos).min().stream()
                .map(earliest -> (earliest - kill) / 1_000_000).findFirst().orElse(0);
        return new Run(mode, (promoted - kill) / 1_000_000, (first.nanos() - kill) / 1_000_000, load.acks().size(),
                missing.size(), window, load.replicaWrites(), load.readFailures().size(), load.writeFailures().size(),
                missing, java.util.stream.Stream.concat(load.readFailures().stream(), load.writeFailures().stream())
                        .limit(5).map(Throwable::toString).toList());
    }
}
