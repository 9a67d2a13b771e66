package io.generalbots.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.generalbots.scaling.Ticker;
import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.testing.RedisServer;
import io.generalbots.scaling.testing.Await;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import org.junit.jupiter.api.Test;

/** Two engines in one JVM elect one leader on a real Redis lease; killing its connection hands over. */
class RedisLeaderElectionIT {

    @Test
    void runsOnTheHostsLettuceResourcesAndLeavesThemRunningAfterClose() throws Exception {
        ClientResources resources = DefaultClientResources.create();
        try (RedisServer redis = RedisServer.start()) {
            List<Object> activated = new CopyOnWriteArrayList<>();
            var subscription = resources.eventBus().get().filter(ConnectionActivatedEvent.class::isInstance)
                    .subscribe(activated::add);
            try (RedisLeaderElection election = RedisLeaderElection.custom(redis.uri(), "it-host", "node-h")
                    .lease(Duration.ofSeconds(5)).clientResources(resources).build()) {
                assertThat(election.tryLead()).isTrue();
                Await.until("the election's connection on the host's event bus", Duration.ofSeconds(10),
                        () -> !activated.isEmpty());
            } finally {
                subscription.dispose();
            }
            assertThat(resources.eventExecutorGroup().isShuttingDown()).as("the host's resources are the host's")
                    .isFalse();
            RedisClient other = RedisClient.create(resources, redis.uri());
            try (StatefulRedisConnection<String, String> c = other.connect()) {
                assertThat(c.sync().get("{it-host}:lease")).as("the lease was released on close").isNull();
            } finally {
                other.shutdown();
            }
        } finally {
            resources.shutdown();
        }
    }

    @Test
    void onlyTheLeaderScalesAndAnotherTakesOverWithinTheLeaseWhenItsConnectionIsKilled() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            LeaderSettings leader = LeaderSettings.from(BotConfig.of(Map.of("scale-leader-election", "redis",
                    "scale-leader-url", redis.uri(), "scale-leader-lease-seconds", "2", "scale-check-interval", "1")));
            ScalingSettings settings = ScalingSettings.from(BotConfig.of(Map.of("scale-enabled", "true",
                    "scale-cooldown-seconds", "0", "scale-check-interval", "1")));
            FakeManager cluster = new FakeManager(1);
            List<ScalingEvent> events = new ArrayList<>();
            MetricsSource busy = list -> {
                Map<String, InstanceMetrics> m = new java.util.HashMap<>();
                list.forEach(i -> m.put(i.id(), InstanceMetrics.cpu(100)));
                return m;
            };
            Ticker ticker = Ticker.system();
            try (LeaderElection electionA = LeaderElection.of(leader, "node-a", ticker);
                 LeaderElection electionB = LeaderElection.of(leader, "node-b", ticker);
                 AutoScaler a = AutoScaler.custom(settings, cluster, busy).name("a").leaderElection(electionA)
                         .listener(events::add).build();
                 AutoScaler b = AutoScaler.custom(settings, cluster, busy).name("b").leaderElection(electionB)
                         .listener(events::add).build()) {

                assertThat(a.check()).isPresent();
                assertThat(b.check()).isEmpty();
                assertThat(events).singleElement().extracting(ScalingEvent::scaler).isEqualTo("a");
                long termA = electionA.fencingToken();
                assertThat(redis.command("GET", "{gb-scaling-leader}:lease")).startsWith("node-a/").endsWith(" " + termA);

                String clients = RedisServer.command(redis.port(), "CLIENT", "LIST");
                String id = clients.lines().filter(l -> l.contains("name=gb-scaler-node-a ")).findFirst()
                        .map(l -> l.substring(3, l.indexOf(' '))).orElseThrow();
                assertThat(redis.command("CLIENT", "KILL", "ID", id)).isEqualTo(":1");

                long killed = System.nanoTime();
                Recommendation byB = null;
                while (byB == null && System.nanoTime() - killed < Duration.ofSeconds(6).toNanos()) {
                    assertThat(electionA.stillLeads() && electionB.stillLeads()).as("two leaders at once").isFalse();
                    byB = b.check().orElse(null);
                    Thread.onSpinWait();
                }
                Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
                assertThat(byB).as("node-b takes over").isNotNull();
                assertThat(takeover).isLessThanOrEqualTo(LeaderElection.takeoverBound(leader, Duration.ofSeconds(1))
                        .plusSeconds(2));
                assertThat(electionB.fencingToken()).isEqualTo(termA + 1);
                assertThat(electionA.stillLeads()).isFalse();
                assertThat(a.check()).as("node-a reconnects but does not lead").isEmpty();
                assertThat(events).last().extracting(ScalingEvent::scaler).isEqualTo("b");
            }
        }
    }
}
