package io.generalbots.failover.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigException;
import io.generalbots.scaling.config.HostAndPort;

class CacheSettingsTest {

    @Test
    void readsTheSeedsClusterAndSentinelExamples() {
        CacheSettings cluster = CacheSettings.from(BotConfig.parse("config.csv",
                "cache-mode,cluster\ncache-nodes,redis-1:6379,redis-2:6379,redis-3:6379\ncache-replicas,1"));
        assertThat(cluster.mode()).isEqualTo(CacheSettings.Mode.CLUSTER);
        assertThat(cluster.nodes()).containsExactly(new HostAndPort("redis-1", 6379), new HostAndPort("redis-2", 6379),
                new HostAndPort("redis-3", 6379));
        assertThat(cluster.replicas()).isEqualTo(1);

        CacheSettings sentinel = CacheSettings.from(BotConfig.parse("config.csv", "cache-mode,sentinel\n"
                + "cache-sentinel-master,mymaster\ncache-sentinel-nodes,sentinel-1:26379,sentinel-2,sentinel-3:26379"));
        assertThat(sentinel.sentinelMaster()).isEqualTo("mymaster");
        assertThat(sentinel.sentinelNodes()).hasSize(3).contains(new HostAndPort("sentinel-2", 26379));
    }

    @Test
    void defaultsAreStandaloneOnLocalhost() {
        CacheSettings s = CacheSettings.from(BotConfig.ofDefaults());
        assertThat(s.mode()).isEqualTo(CacheSettings.Mode.STANDALONE);
        assertThat(s.host()).isEqualTo(new HostAndPort("localhost", 6379));
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.requestQueue()).isEqualTo(10_000);
        assertThat(s.topologyRefresh()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void missingNodesAndBadValuesAreAllReported() {
        assertThatThrownBy(() -> CacheSettings.from(BotConfig.parse("config.csv", "cache-mode,cluster")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(
                        "config.csv:1: cache-mode is cluster, so cache-nodes must list the cluster's nodes, but it is not set");
        assertThatThrownBy(() -> CacheSettings.from(BotConfig.parse("config.csv", "cache-mode,sentinel")))
                .hasMessageContaining("cache-mode is sentinel, so cache-sentinel-nodes must list the sentinels");
        assertThatThrownBy(() -> CacheSettings.from(BotConfig.parse("config.csv",
                "cache-mode,replicated\ncache-replicas,-1\ncache-host,a:1,b:2")))
                .hasMessageContaining("config.csv:1: cache-mode must be one of standalone, cluster, sentinel, but was "
                        + "\"replicated\"")
                .hasMessageContaining("config.csv:2: cache-replicas must be an integer from 0 to 10, but was \"-1\"")
                .hasMessageContaining("config.csv:3: cache-host must be one HOST:PORT (list cluster nodes in cache-nodes), "
                        + "but was \"a:1,b:2\"");
    }

    @Test
    void lettuceOptionsAreFailoverSafe() {
        CacheSettings s = CacheSettings.from(BotConfig.parse("config.csv", "cache-timeout,500ms"));
        var options = RedisConnections.clientOptions(s);
        assertThat(options.getTimeoutOptions().isTimeoutCommands()).isTrue();
        assertThat(options.getRequestQueueSize()).isEqualTo(10_000);
        assertThat(options.getDisconnectedBehavior()).isEqualTo(io.lettuce.core.ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
        assertThat(options.getSocketOptions().isKeepAlive()).isTrue();
        assertThat(options.getSocketOptions().getKeepAlive().getIdle()).isEqualTo(Duration.ofSeconds(15));
        assertThat(options.getSocketOptions().getTcpUserTimeout().isEnabled())
                .isEqualTo(io.lettuce.core.resource.EpollProvider.isAvailable());
        assertThat(options.getSocketOptions().getTcpUserTimeout().getTcpUserTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.getSocketOptions().getConnectTimeout()).isEqualTo(Duration.ofMillis(500));
        var cluster = RedisConnections.clusterOptions(s).getTopologyRefreshOptions();
        assertThat(cluster.isPeriodicRefreshEnabled()).isTrue();
        assertThat(cluster.getAdaptiveRefreshTriggers()).isNotEmpty();
    }

    @Test
    void thePasswordNeverAppearsInToString() {
        CacheSettings s = CacheSettings.from(io.generalbots.scaling.config.BotConfig.parse("config.csv",
                "cache-password,hunter2\n"));
        org.assertj.core.api.Assertions.assertThat(s.toString()).contains("password=Optional[****]")
                .doesNotContain("hunter2");
    }
}
