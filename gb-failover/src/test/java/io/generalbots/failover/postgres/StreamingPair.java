package io.generalbots.failover.postgres;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.scaling.testing.Await;
import io.generalbots.scaling.testing.FreePorts;

/**
 * Two PostgreSQL 15 servers with plain streaming replication and no Patroni (the multihost
 * scenario): a primary made by initdb and a standby made by {@code pg_basebackup -R}, run as the
 * postgres user from a /tmp/gb-pgpair-* directory that {@link #close()} deletes. Failover is the
 * operator's: {@link #kill(int)} the primary, {@link #promote(int)} the standby.
 */
final class StreamingPair implements AutoCloseable {

    private final Path dir;
    private final Path logs = Path.of("target", "servers").toAbsolutePath();
    private final int[] ports = {FreePorts.find(), FreePorts.find()};

    private StreamingPair() {
        dir = PgProcesses.tempDir("gb-pgpair-");
    }

    /** Node 0 primary, node 1 its streaming standby. */
    static StreamingPair start() {
        StreamingPair p = new StreamingPair();
        try {
            PgProcesses.run(List.of(PgProcesses.BIN_DIR + "/initdb", "-D", p.dataDir(0).toString(), "-A", "trust",
                    "-U", "postgres", "-E", "UTF8"), p.log("initdb"), 120);
            PgProcesses.write(p.dataDir(0).resolve("postgresql.auto.conf"), String.join("\n",
                    "listen_addresses = '127.0.0.1'", "max_connections = 40", "shared_buffers = 16MB",
                    "wal_level = replica", "max_wal_senders = 5", "hot_standby = on", "wal_log_hints = on",
                    "unix_socket_directories = '" + p.dir + "'", ""));
            PgProcesses.write(p.dataDir(0).resolve("pg_hba.conf"), String.join("\n",
                    "local all all trust", "host all all 127.0.0.1/32 trust",
                    "host replication all 127.0.0.1/32 trust", ""));
            p.startServer(0);
            p.makeStandby(1, 0);
            return p;
        } catch (RuntimeException | Error e) {
            p.close();
            throw e;
        }
    }

    Path dataDir(int i) {
        return dir.resolve("data" + i);
    }

    HostAndPort postgres(int i) {
        return new HostAndPort("127.0.0.1", ports[i]);
    }

    List<HostAndPort> hosts() {
        return List.of(postgres(0), postgres(1));
    }

    private Path log(String name) {
        return logs.resolve(dir.getFileName() + "-" + name + ".log");
    }

    void startServer(int i) {
        PgProcesses.run(List.of(PgProcesses.BIN_DIR + "/pg_ctl", "-D", dataDir(i).toString(), "-l",
                dir.resolve("node" + i + ".log").toString(), "-o", "-p " + ports[i], "-w", "-t", "60", "start"), log("pg_ctl"), 90);
    }

    /** Replaces node i's data with a fresh base backup of node 'from' and starts it as a standby. */
    void makeStandby(int i, int from) {
        PgProcesses.killPostmaster(dataDir(i));
        PgProcesses.deleteTree(dataDir(i));
        PgProcesses.run(List.of(PgProcesses.BIN_DIR + "/pg_basebackup", "-h", "127.0.0.1", "-p",
                Integer.toString(ports[from]), "-U", "postgres", "-D", dataDir(i).toString(), "-R", "-X", "stream",
                "-c", "fast"), log("basebackup"), 120);
        startServer(i);
    }

    /** Waits until node i (the primary) streams WAL to the other node. */
    void awaitStreaming(int i) {
        Await.until("node" + i + " streaming to a standby", Duration.ofSeconds(60),
                () -> PatroniCluster.streamingReplicas(postgres(i)) >= 1);
    }

    /** Kills node i's PostgreSQL (postmaster and every backend) at once, as a crash. */
    void kill(int i) {
        PgProcesses.killPostmaster(dataDir(i));
    }

    /**
     * Promotes node i and waits for it (pg_ctl promote -w).
     *
     * @return how long the promotion took
     */
    Duration promote(int i) {
        long t0 = System.nanoTime();
        PgProcesses.run(List.of(PgProcesses.BIN_DIR + "/pg_ctl", "-D", dataDir(i).toString(), "-w", "-t", "60",
                "promote"), log("pg_ctl"), 90);
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    @Override
    public void close() {
        for (int i = 0; i < 2; i++) {
            if (PgProcesses.postmasterPid(dataDir(i)) > 0) {
                try {
                    PgProcesses.run(List.of(PgProcesses.BIN_DIR + "/pg_ctl", "-D", dataDir(i).toString(), "-m",
                            "immediate", "-w", "stop"), log("pg_ctl"), 30);
                } catch (RuntimeException e) {
                    // not running (killed by the test): the pid file is stale
                }
            }
        }
        PgProcesses.killPostmaster(dataDir(0));
        PgProcesses.killPostmaster(dataDir(1));
        PgProcesses.deleteTree(dir);
    }
}
