package io.generalbots.failover.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.testing.Await;
import io.generalbots.scaling.testing.RedisSentinels;

/**
 * A real sentinel setup (master, replica, three sentinels, down-after 1000 ms): killing the
 * master, writes succeed again through the same connection once the sentinels promote the
 * replica. The time this takes is measured and must stay bounded.
 */
class RedisSentinelIT {

    @Test
    void writesSucceedAgainThroughTheSameConnectionAfterFailover() throws Exception {
        try (RedisSentinels sentinels = RedisSentinels.start("mymaster", 1000)) {
            StringBuilder nodes = new StringBuilder();
            for (int port : sentinels.sentinelPorts()) {
                nodes.append(nodes.length() == 0 ? "" : ",").append("127.0.0.1:").append(port);
            }
            BotConfig config = BotConfig.parse("config.csv", "cache-mode,sentinel\ncache-sentinel-master,mymaster\n"
                    + "cache-sentinel-nodes," + nodes + "\ncache-timeout,1");
            try (RedisConnections redis = RedisConnections.of(CacheSettings.from(config))) {
                redis.sync().set("before", "1");
                // replication is asynchronous: wait until the replica has it, or the failover may lose it
                Await.until("the replica has the write", Duration.ofSeconds(30), () -> {
                    try {
                        return "1".equals(sentinels.replica().command("GET", "before"));
                    } catch (java.io.IOException e) {
                        return false;
                    }
                });
                assertThat(sentinels.master().command("GET", "before")).isEqualTo("1");

                sentinels.master().kill();
                long start = System.nanoTime();
                AtomicInteger failed = new AtomicInteger();
                // the last failure is in the message if none succeeds
                Await.until("a write through the same connection after the failover", Duration.ofSeconds(60), () -> {
                    try {
                        redis.sync().set("after", "2");
                        return "written";
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                        return String.valueOf(e);
                    }
                }, "written"::equals);
                int failedWrites = failed.get();
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                System.out.printf("sentinel failover: writes succeed again %d ms after the master was killed "
                        + "(%d writes failed meanwhile)%n", took.toMillis(), failedWrites);
                // down-after 1 s + election + reconnect (at most 2 s between attempts): well under 30 s
                assertThat(took).isLessThan(Duration.ofSeconds(30));
                assertThat(sentinels.replica().command("GET", "after")).as("the replica is the new master").isEqualTo("2");
                assertThat(sentinels.replica().command("GET", "before")).isEqualTo("1");
            }
        }
    }
}
