package io.generalbots.failover.redis;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigReader;
import io.generalbots.scaling.config.HostAndPort;

/**
 * The Redis settings of {@code config.csv} ({@code cache-*}).
 *
 * @param mode           {@code cache-mode}: standalone, cluster or sentinel
 * @param host           {@code cache-host}: the server in standalone mode
 * @param nodes          {@code cache-nodes}: cluster seed nodes (required in cluster mode)
 * @param replicas       {@code cache-replicas}: replicas per master; above 0 reads prefer replicas
 * @param sentinelMaster {@code cache-sentinel-master}: the master name the sentinels watch
 * @param sentinelNodes  {@code cache-sentinel-nodes}: the sentinels (required in sentinel mode)
 * @param password       {@code cache-password}, if any
 * @param timeout        {@code cache-timeout}: how long one command may take
 * @param topologyRefresh {@code cache-topology-refresh}: periodic cluster topology refresh
 * @param requestQueue   {@code cache-request-queue}: most commands queued on a connection
 */
public record CacheSettings(Mode mode, HostAndPort host, List<HostAndPort> nodes, int replicas,
                            String sentinelMaster, List<HostAndPort> sentinelNodes, Optional<String> password,
                            Duration timeout, Duration topologyRefresh, int requestQueue) {

    /** How Redis is deployed. */
    public enum Mode {
        /** One server at {@code cache-host}. */
        STANDALONE,
        /** A Redis Cluster reached through {@code cache-nodes}. */
        CLUSTER,
        /** A master found through the sentinels of {@code cache-sentinel-nodes}. */
        SENTINEL
    }

    /**
     * Creates settings.
     *
     * @param mode            mode
     * @param host            standalone server
     * @param nodes           cluster nodes
     * @param replicas        replicas per master
     * @param sentinelMaster  master name
     * @param sentinelNodes   sentinels
     * @param password        password
     * @param timeout         command timeout
     * @param topologyRefresh cluster refresh period
     * @param requestQueue    queue bound
     */
    public CacheSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(host, "host");
        nodes = List.copyOf(nodes);
        sentinelNodes = List.copyOf(sentinelNodes);
        Objects.requireNonNull(sentinelMaster, "sentinelMaster");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(topologyRefresh, "topologyRefresh");
    }

    /**
     * The settings of a file.
     *
     * @param config the configuration
     * @return the settings
     * @throws io.generalbots.scaling.config.ConfigException listing every bad value
     */
    public static CacheSettings from(BotConfig config) {
        ConfigReader reader = config.reader();
        CacheSettings settings = read(reader);
        reader.throwIfInvalid();
        return settings;
    }

    /**
     * Reads the settings, recording problems in the reader.
     *
     * @param r the reader
     * @return the settings
     */
    public static CacheSettings read(ConfigReader r) {
        Map<String, Mode> modes = new LinkedHashMap<>();
        modes.put("standalone", Mode.STANDALONE);
        modes.put("cluster", Mode.CLUSTER);
        modes.put("sentinel", Mode.SENTINEL);
        Mode mode = r.getChoice("cache-mode", modes);
        List<HostAndPort> hostList = r.getHostPorts("cache-host", 6379);
        if (hostList.size() > 1) {
            r.reject("cache-host", "one HOST:PORT (list cluster nodes in cache-nodes)");
        }
        HostAndPort host = hostList.isEmpty() ? HostAndPort.parse("localhost:6379", 6379) : hostList.get(0);
        List<HostAndPort> nodes = r.getHostPorts("cache-nodes", 6379);
        int replicas = r.getInt("cache-replicas", 0, 10);
        String master = r.getString("cache-sentinel-master");
        List<HostAndPort> sentinels = r.getHostPorts("cache-sentinel-nodes", 26379);
        Optional<String> password = r.isSet("cache-password") ? Optional.of(r.getString("cache-password"))
                : Optional.empty();
        Duration timeout = r.getDuration("cache-timeout", Duration.ofMillis(1), Duration.ofMinutes(5));
        Duration refresh = r.getDuration("cache-topology-refresh", Duration.ofSeconds(1), Duration.ofHours(1));
        int queue = r.getInt("cache-request-queue", 1, 1_000_000);
        if (mode == Mode.CLUSTER && nodes.isEmpty() && !r.isSet("cache-nodes")) {
            r.error("cache-mode", "cache-mode is cluster, so cache-nodes must list the cluster's nodes, but it is not set");
        }
        if (mode == Mode.SENTINEL && sentinels.isEmpty() && !r.isSet("cache-sentinel-nodes")) {
            r.error("cache-mode",
                    "cache-mode is sentinel, so cache-sentinel-nodes must list the sentinels, but it is not set");
        }
        return new CacheSettings(mode, host, nodes, replicas, master, sentinels, password, timeout, refresh, queue);
    }
}
