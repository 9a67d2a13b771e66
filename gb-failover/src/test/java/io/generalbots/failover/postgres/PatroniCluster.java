package io.generalbots.failover.postgres;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.scaling.testing.Await;
import io.generalbots.scaling.testing.FreePorts;

/**
 * A real Patroni cluster for tests: one etcd and N Patroni nodes with PostgreSQL 15, all on
 * loopback ports, run as the postgres user under a /tmp/gb-patroni-* directory that
 * {@link #close()} deletes. {@code ttl} 10, {@code loop_wait} 2, {@code retry_timeout} 4.
 */
final class PatroniCluster implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final Path dir;
    private final Path logs = Path.of("target", "servers").toAbsolutePath();
    private final String scope;
    private final int etcdPort;
    private final int etcdPeerPort;
    private final int[] pgPorts;
    private final int[] apiPorts;
    private final Process[] patroni;
    private Process etcd;

    private PatroniCluster(int nodes) {
        this.dir = PgProcesses.tempDir("gb-patroni-");
        this.scope = "gbtest" + dir.getFileName().toString().replaceAll("[^A-Za-z0-9]", "");
        this.etcdPort = FreePorts.find();
        this.etcdPeerPort = FreePorts.find();
        this.pgPorts = new int[nodes];
        this.apiPorts = new int[nodes];
        this.patroni = new Process[nodes];
        for (int i = 0; i < nodes; i++) {
            pgPorts[i] = FreePorts.find();
            apiPorts[i] = FreePorts.find();
        }
    }

    /** Starts etcd and the nodes, and waits until there is a leader and every replica streams. */
    static PatroniCluster start(int nodes, boolean synchronous) {
        PatroniCluster c = new PatroniCluster(nodes);
        try {
            c.startEtcd();
            for (int i = 0; i < nodes; i++) {
                PgProcesses.write(c.dir.resolve("node" + i + ".yml"), c.yaml(i, synchronous));
                c.startNode(i);
            }
            c.await("a leader and " + (nodes - 1) + " replicas", () -> c.leader() >= 0 && c.replicaCount() == nodes - 1,
                    Duration.ofSeconds(90));
            c.awaitStreaming();
            if (synchronous) {
                c.awaitSyncStandby();
            }
            return c;
        } catch (RuntimeException | Error e) {
            c.close();
            throw e;
        }
    }

    private void startEtcd() {
        Path data = dir.resolve("etcd");
        String client = "http://127.0.0.1:" + etcdPort;
        String peer = "http://127.0.0.1:" + etcdPeerPort;
        etcd = PgProcesses.start(List.of("etcd", "--name", "e0", "--data-dir", data.toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client, "--listen-peer-urls", peer,
                "--initial-advertise-peer-urls", peer, "--initial-cluster", "e0=" + peer), logs.resolve(scope + "-etcd.log"));
        await("etcd", () -> status(new HostAndPort("127.0.0.1", etcdPort), "/health") == 200, Duration.ofSeconds(30));
    }

    void startNode(int i) {
        patroni[i] = PgProcesses.start(List.of("patroni", dir.resolve("node" + i + ".yml").toString()),
                logs.resolve(scope + "-node" + i + ".log"));
    }

    private String yaml(int i, boolean synchronous) {
        return String.join("\n",
                "scope: " + scope,
                "name: node" + i,
                "log: {level: WARNING}",
                "restapi: {listen: '127.0.0.1:" + apiPorts[i] + "', connect_address: '127.0.0.1:" + apiPorts[i] + "'}",
                "etcd3: {hosts: '127.0.0.1:" + etcdPort + "'}",
                "bootstrap:",
                "  dcs:",
                "    ttl: 10",
                "    loop_wait: 2",
                "    retry_timeout: 4",
                "    maximum_lag_on_failover: 1048576",
                "    synchronous_mode: " + synchronous,
                "    postgresql:",
                "      use_pg_rewind: true",
                "      parameters: {max_connections: 40, shared_buffers: 16MB, wal_log_hints: 'on', "
                        + "max_wal_senders: 5, max_replication_slots: 5}",
                "  initdb: [{encoding: UTF8}, {auth: trust}]",
                "  pg_hba:",
                "    - local all all trust",
                "    - host replication replicator 127.0.0.1/32 trust",
                "    - host all all 127.0.0.1/32 trust",
                "postgresql:",
                "  listen: '127.0.0.1:" + pgPorts[i] + "'",
                "  connect_address: '127.0.0.1:" + pgPorts[i] + "'",
                "  data_dir: " + dataDir(i),
                "  bin_dir: " + PgProcesses.BIN_DIR,
                "  pgpass: " + dir.resolve("pgpass" + i),
                "  authentication:",
                "    superuser: {username: postgres, password: pw}",
                "    replication: {username: replicator, password: rep}",
                "    rewind: {username: postgres, password: pw}",
                "  parameters: {unix_socket_directories: '" + dir + "'}",
                "");
    }

    Path dataDir(int i) {
        return dir.resolve("data" + i);
    }

    int size() {
        return pgPorts.length;
    }

    List<HostAndPort> postgresHosts() {
        List<HostAndPort> out = new ArrayList<>();
        for (int p : pgPorts) {
            out.add(new HostAndPort("127.0.0.1", p));
        }
        return out;
    }

    List<HostAndPort> apiEndpoints() {
        List<HostAndPort> out = new ArrayList<>();
        for (int p : apiPorts) {
            out.add(new HostAndPort("127.0.0.1", p));
        }
        return out;
    }

    HostAndPort postgres(int i) {
        return new HostAndPort("127.0.0.1", pgPorts[i]);
    }

    /** The index of the node answering 200 on /primary, or -1. */
    int leader() {
        for (int i = 0; i < apiPorts.length; i++) {
            if (isPrimary(i)) {
                return i;
            }
        }
        return -1;
    }

    boolean isPrimary(int i) {
        return status(apiEndpoints().get(i), "/primary") == 200;
    }

    boolean isReplica(int i) {
        return status(apiEndpoints().get(i), "/replica") == 200;
    }

    int replicaCount() {
        int n = 0;
        for (int i = 0; i < apiPorts.length; i++) {
            if (isReplica(i)) {
                n++;
            }
        }
        return n;
    }

    /** Waits until /cluster lists a sync_standby (synchronous_mode takes a loop to pick one). */
    void awaitSyncStandby() {
        await("a synchronous standby", () -> cluster().contains("sync_standby"), Duration.ofSeconds(30));
    }

    String cluster() {
        for (HostAndPort api : apiEndpoints()) {
            String body = get(api, "/cluster");
            if (body != null) {
                return body;
            }
        }
        return "";
    }

    /**
     * Waits until the leader streams WAL to every other node (pg_stat_replication): Patroni's
     * /replica answers 200 as soon as PostgreSQL runs as a standby, before it streams.
     */
    void awaitStreaming() {
        await("every replica streaming", () -> {
            int leader = leader();
            return leader >= 0 && streamingReplicas(postgres(leader)) == size() - 1;
        }, Duration.ofSeconds(60));
    }

    static int streamingReplicas(HostAndPort primary) {
        try (java.sql.Connection c = FailoverLoad.direct(primary); java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")) {
            rs.next();
            return rs.getInt(1);
        } catch (java.sql.SQLException e) {
            return -1;
        }
    }

    /** Kills node i's Patroni and PostgreSQL (every PostgreSQL process) at once, as a crash. */
    void kill(int i) {
        if (patroni[i] != null) {
            PgProcesses.killTree(patroni[i].pid());
        }
        PgProcesses.killPostmaster(dataDir(i));
    }

    /** Restarts a killed node; it rejoins as a replica (pg_rewind if needed). */
    void restart(int i) {
        startNode(i);
        await("node" + i + " back as a replica", () -> isReplica(i), Duration.ofSeconds(60));
        awaitStreaming();
    }

    /** Sets a dynamic setting through PATCH /config on the leader. */
    void patchConfig(String json) {
        int leader = leader();
        HostAndPort api = apiEndpoints().get(Math.max(leader, 0));
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + api + "/config"))
                    .method("PATCH", HttpRequest.BodyPublishers.ofString(json)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("PATCH /config " + json + " answered " + r.statusCode() + ": " + r.body());
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A planned switchover to the given node (the old leader stays up, as a replica). */
    void switchover(int to) {
        int leader = leader();
        HostAndPort api = apiEndpoints().get(leader);
        String json = "{\"leader\": \"node" + leader + "\", \"candidate\": \"node" + to + "\"}";
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + api + "/switchover"))
                    .POST(HttpRequest.BodyPublishers.ofString(json)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("POST /switchover " + json + " answered " + r.statusCode() + ": " + r.body());
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int status(HostAndPort api, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + api + path)).timeout(Duration.ofSeconds(1))
                    .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static String get(HostAndPort api, String path) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + api + path))
                    .timeout(Duration.ofSeconds(1)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Waits until the condition holds; else fails with /cluster and each node's log tail. */
    void await(String what, BooleanSupplier condition, Duration timeout) {
        try {
            Await.until("Patroni cluster " + scope + ": " + what, timeout, condition);
        } catch (AssertionError timedOut) {
            StringBuilder sb = new StringBuilder("Patroni cluster " + scope + ": no " + what + " after " + timeout
                    + "; /cluster: " + cluster());
            for (int i = 0; i < patroni.length; i++) {
                sb.append("\n--- node").append(i).append(" log:\n")
                        .append(PgProcesses.tail(logs.resolve(scope + "-node" + i + ".log")));
            }
            throw new IllegalStateException(sb.toString(), timedOut);
        }
    }

    /** Stops every process this cluster started and deletes its directory. */
    @Override
    public void close() {
        for (int i = 0; i < patroni.length; i++) {
            PgProcesses.stop(patroni[i], 10);
        }
        for (int i = 0; i < patroni.length; i++) {
            // Patroni stops PostgreSQL on SIGTERM; a killed Patroni leaves it behind
            PgProcesses.killPostmaster(dataDir(i));
        }
        PgProcesses.stop(etcd, 5);
        PgProcesses.deleteTree(dir);
    }
}
