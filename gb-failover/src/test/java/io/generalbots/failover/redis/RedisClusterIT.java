package io.generalbots.failover.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.testing.Await;
import io.generalbots.scaling.testing.RedisCluster;
import io.generalbots.scaling.testing.RedisServer;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;

/**
 * A real 6-node Redis Cluster (3 masters, 3 replicas): killing a master, the client learns the
 * new topology (adaptive and periodic refresh) and every key is writable again.
 */
class RedisClusterIT {

    @Test
    void theClientFollowsTheNewTopologyAfterAMasterDies() throws Exception {
        try (RedisCluster cluster = RedisCluster.start(3, 1)) {
            BotConfig config = BotConfig.parse("config.csv", "cache-mode,cluster\ncache-nodes,"
                    + String.join(",", cluster.uris().stream().map(u -> u.substring("redis://".length())).toList())
                    + "\ncache-replicas,1\ncache-timeout,1\ncache-topology-refresh,2");
            try (RedisConnections redis = RedisConnections.of(CacheSettings.from(config))) {
                for (int i = 0; i < 100; i++) {
                    redis.sync().set("key-" + i, "v" + i);
                }
                RedisServer victim = cluster.nodes().get(0);
                // replication is asynchronous: let the victim's replica acknowledge the writes first
                assertThat(RedisServer.command(victim.port(), "WAIT", "1", "5000")).isEqualTo(":1");
                String victimId = RedisServer.command(victim.port(), "CLUSTER", "MYID");
                victim.kill();

                long start = System.nanoTime();
                Duration budget = Duration.ofSeconds(90);
                AtomicInteger failures = new AtomicInteger();
                for (int i = 0; i < 100; i++) {
                    String key = "key-" + i;
                    String value = "w" + i;
                    Duration left = budget.minusNanos(System.nanoTime() - start);
                    // the last failure is in the message if the key stays unwritable
                    Await.until(key + " writable within 90 s of killing a master", left.isNegative() ? Duration.ZERO : left,
                            () -> {
                                try {
                                    redis.sync().set(key, value);
                                    return "written";
                                } catch (RuntimeException e) {
                                    failures.incrementAndGet();
                                    return String.valueOf(e);
                                }
                            }, "written"::equals);
                }
                int failed = failures.get();
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                System.out.printf("cluster failover: all keys writable %d ms after a master was killed "
                        + "(%d writes failed meanwhile)%n", took.toMillis(), failed);
                // node timeout 2 s + replica election + topology refresh (adaptive, at most every 5 s)
                assertThat(took).isLessThan(Duration.ofSeconds(60));
                for (int k = 0; k < 100; k++) {
                    assertThat(redis.sync().get("key-" + k)).isEqualTo("w" + k);
                }
                // the client's view: the dead node no longer serves slots as a master
                List<RedisClusterNode> masters = redis.clusterConnection().getPartitions().stream()
                        .filter(n -> n.is(RedisClusterNode.NodeFlag.UPSTREAM) && !n.getSlots().isEmpty()).toList();
                assertThat(masters).extracting(RedisClusterNode::getNodeId).doesNotContain(victimId.trim());
                assertThat(masters).hasSize(3);
            }
        }
    }
}
