package io.generalbots.scaling.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Redis Cluster on loopback: {@code masters} masters with {@code replicasPerMaster}
 * replicas each, created with {@code redis-cli --cluster create}.
 */
public final class RedisCluster implements AutoCloseable {

    private final List<RedisServer> nodes;

    private RedisCluster(List<RedisServer> nodes) {
        this.nodes = nodes;
    }

    /**
     * Starts the nodes and creates the cluster; waits until {@code cluster_state:ok} on every node.
     *
     * @param masters           number of masters (at least 3)
     * @param replicasPerMaster replicas per master
     * @return the cluster
     */
    public static RedisCluster start(int masters, int replicasPerMaster) {
        int total = masters * (1 + replicasPerMaster);
        List<RedisServer> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < total; i++) {
                int port = FreePorts.find(10000);
                // a node config left by an earlier run on the same port would make the node "not empty"
                java.nio.file.Files.deleteIfExists(java.nio.file.Path.of("target", "servers", "redis-" + port,
                        "nodes-" + port + ".conf"));
                nodes.add(RedisServer.start(port, List.of("--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes-" + port + ".conf", "--cluster-node-timeout", "2000",
                        "--appendonly", "no")));
            }
            List<String> cmd = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            for (RedisServer node : nodes) {
                cmd.add("127.0.0.1:" + node.port());
            }
            cmd.addAll(List.of("--cluster-replicas", Integer.toString(replicasPerMaster), "--cluster-yes"));
            ServerProcess create = new ServerProcess("redis-cluster-create-" + nodes.get(0).port(), cmd).launch();
            RedisCluster cluster = new RedisCluster(nodes);
            // redis-cli may exit before every node reports cluster_state:ok, and it attaches the replicas
            // after the masters cover all slots: wait for both, whether or not it is still running
            int replicas = masters * replicasPerMaster;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!(cluster.isOk() && cluster.replicaCount() == replicas && cluster.replicasInSync())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("redis cluster not ready (cluster_state:ok and " + replicas
                            + " replicas in sync) after 60 s; redis-cli log:\n" + create.tail());
                }
                ServerProcess.sleep(50);
            }
            create.close();
            return cluster;
        } catch (IOException e) {
            nodes.forEach(RedisServer::close);
            throw new java.io.UncheckedIOException(e);
        } catch (RuntimeException e) {
            nodes.forEach(RedisServer::close);
            throw e;
        }
    }

    /**
     * Whether every live node reports {@code cluster_state:ok}.
     *
     * @return true when the cluster serves all slots
     */
    public boolean isOk() {
        for (RedisServer node : nodes) {
            if (!node.isAlive()) {
                continue;
            }
            try {
                if (!RedisServer.command(node.port(), "CLUSTER", "INFO").contains("cluster_state:ok")) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    /**
     * How many nodes the first live node sees as replicas ({@code slave} in {@code CLUSTER NODES}).
     *
     * @return the count, or -1 if no node answers
     */
    public int replicaCount() {
        for (RedisServer node : nodes) {
            if (!node.isAlive()) {
                continue;
            }
            try {
                String text = RedisServer.command(node.port(), "CLUSTER", "NODES");
                return (int) text.lines().filter(l -> l.contains(" slave ") || l.contains(",slave ")).count();
            } catch (IOException e) {
                return -1;
            }
        }
        return -1;
    }

    /**
     * Whether every live replica has finished its first sync ({@code master_link_status:up}); a
     * replica that never synced refuses to take over from a dead master.
     *
     * @return true when all replicas are linked
     */
    public boolean replicasInSync() {
        for (RedisServer node : nodes) {
            if (!node.isAlive()) {
                continue;
            }
            try {
                String info = RedisServer.command(node.port(), "INFO", "replication");
                if (info.contains("role:slave") && !info.contains("master_link_status:up")) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    /**
     * The nodes, in creation order (the first {@code masters} start as masters).
     *
     * @return the nodes
     */
    public List<RedisServer> nodes() {
        return nodes;
    }

    /**
     * {@code redis://127.0.0.1:PORT} of every node.
     *
     * @return the URIs
     */
    public List<String> uris() {
        return nodes.stream().map(RedisServer::uri).toList();
    }

    @Override
    public void close() {
        nodes.forEach(RedisServer::close);
    }
}
