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
 * <p>An immutable value: {@link #from(BotConfig)} reads a file, {@link #custom()} and
 * {@link #toBuilder()} make settings in code (adding a key adds an accessor and a builder method,
 * so callers are not broken).
 */
public final class CacheSettings {

    /** How Redis is deployed. */
    public enum Mode {
        /** One server at {@code cache-host}. */
        STANDALONE,
        /** A Redis Cluster reached through {@code cache-nodes}. */
        CLUSTER,
        /** A master found through the sentinels of {@code cache-sentinel-nodes}. */
        SENTINEL
    }

    private final Mode mode;
    private final HostAndPort host;
    private final List<HostAndPort> nodes;
    private final int replicas;
    private final String sentinelMaster;
    private final List<HostAndPort> sentinelNodes;
    private final Optional<String> password;
    private final Duration timeout;
    private final Duration topologyRefresh;
    private final int requestQueue;

    private CacheSettings(Builder b) {
        this.mode = Objects.requireNonNull(b.mode, "mode");
        this.host = Objects.requireNonNull(b.host, "host");
        this.nodes = List.copyOf(b.nodes);
        this.replicas = b.replicas;
        this.sentinelMaster = Objects.requireNonNull(b.sentinelMaster, "sentinelMaster");
        this.sentinelNodes = List.copyOf(b.sentinelNodes);
        this.password = Objects.requireNonNull(b.password, "password");
        this.timeout = Objects.requireNonNull(b.timeout, "timeout");
        this.topologyRefresh = Objects.requireNonNull(b.topologyRefresh, "topologyRefresh");
        this.requestQueue = b.requestQueue;
    }

    /**
     * A builder pre-filled with the defaults ({@link #ofDefaults()}), for settings made in code or
     * in tests; values are taken as given (a file's are checked by {@link #from(BotConfig)}).
     *
     * @return the builder
     */
    public static Builder custom() {
        return ofDefaults().toBuilder();
    }

    /**
     * A builder pre-filled with these settings, to change a few of them.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * How Redis is deployed ({@code cache-mode}).
     *
     * @return how Redis is deployed ({@code cache-mode})
     */
    public Mode mode() {
        return mode;
    }

    /**
     * The server in standalone mode ({@code cache-host}).
     *
     * @return the server in standalone mode ({@code cache-host})
     */
    public HostAndPort host() {
        return host;
    }

    /**
     * The cluster seed nodes, required in cluster mode ({@code cache-nodes}).
     *
     * @return the cluster seed nodes, required in cluster mode ({@code cache-nodes})
     */
    public List<HostAndPort> nodes() {
        return nodes;
    }

    /**
     * The replicas per master; above 0 reads prefer replicas ({@code cache-replicas}).
     *
     * @return the replicas per master; above 0 reads prefer replicas ({@code cache-replicas})
     */
    public int replicas() {
        return replicas;
    }

    /**
     * The master name the sentinels watch ({@code cache-sentinel-master}).
     *
     * @return the master name the sentinels watch ({@code cache-sentinel-master})
     */
    public String sentinelMaster() {
        return sentinelMaster;
    }

    /**
     * The sentinels, required in sentinel mode ({@code cache-sentinel-nodes}).
     *
     * @return the sentinels, required in sentinel mode ({@code cache-sentinel-nodes})
     */
    public List<HostAndPort> sentinelNodes() {
        return sentinelNodes;
    }

    /**
     * The password, if any ({@code cache-password}).
     *
     * @return the password, if any ({@code cache-password})
     */
    public Optional<String> password() {
        return password;
    }

    /**
     * How long one command may take ({@code cache-timeout}).
     *
     * @return how long one command may take ({@code cache-timeout})
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * The period of the cluster topology refresh ({@code cache-topology-refresh}).
     *
     * @return the period of the cluster topology refresh ({@code cache-topology-refresh})
     */
    public Duration topologyRefresh() {
        return topologyRefresh;
    }

    /**
     * The most commands queued on a connection ({@code cache-request-queue}).
     *
     * @return the most commands queued on a connection ({@code cache-request-queue})
     */
    public int requestQueue() {
        return requestQueue;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CacheSettings that)) {
            return false;
        }
        return mode.equals(that.mode)
                && host.equals(that.host)
                && nodes.equals(that.nodes)
                && replicas == that.replicas
                && sentinelMaster.equals(that.sentinelMaster)
                && sentinelNodes.equals(that.sentinelNodes)
                && password.equals(that.password)
                && timeout.equals(that.timeout)
                && topologyRefresh.equals(that.topologyRefresh)
                && requestQueue == that.requestQueue;
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, host, nodes, replicas, sentinelMaster, sentinelNodes, password, timeout,
                topologyRefresh, requestQueue);
    }

    /** The record-style text of the settings, e.g. {@code CacheSettings[mode=..., ...]}. */
    @Override
    public String toString() {   // the password is never printed: settings end up in logs
        return "CacheSettings[mode=" + mode + ", host=" + host + ", nodes=" + nodes + ", replicas=" + replicas
                + ", sentinelMaster=" + sentinelMaster + ", sentinelNodes=" + sentinelNodes
                + ", password=" + password.map(x -> "****") + ", timeout=" + timeout + ", topologyRefresh=" + topologyRefresh
                + ", requestQueue=" + requestQueue + "]";
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
        return new Builder().mode(mode).host(host).nodes(nodes).replicas(replicas).sentinelMaster(master)
                .sentinelNodes(sentinels).password(password).timeout(timeout).topologyRefresh(refresh)
                .requestQueue(queue).build();
    }

    /**
     * The defaults: what an empty {@code config.csv} gives (standalone Redis at localhost:6379).
     *
     * @return the default settings
     */
    public static CacheSettings ofDefaults() {
        return from(BotConfig.ofDefaults());
    }

    /** Builds {@link CacheSettings}: start from {@link #custom()} or {@link #toBuilder()}. */
    public static final class Builder {
        private Mode mode;
        private HostAndPort host;
        private List<HostAndPort> nodes;
        private int replicas;
        private String sentinelMaster;
        private List<HostAndPort> sentinelNodes;
        private Optional<String> password;
        private Duration timeout;
        private Duration topologyRefresh;
        private int requestQueue;

        private Builder() {
        }

        private Builder(CacheSettings s) {
            this.mode = s.mode;
            this.host = s.host;
            this.nodes = s.nodes;
            this.replicas = s.replicas;
            this.sentinelMaster = s.sentinelMaster;
            this.sentinelNodes = s.sentinelNodes;
            this.password = s.password;
            this.timeout = s.timeout;
            this.topologyRefresh = s.topologyRefresh;
            this.requestQueue = s.requestQueue;
        }

        /**
         * Sets how Redis is deployed ({@code cache-mode}).
         *
         * @param mode the value
         * @return this builder
         */
        public Builder mode(Mode mode) {
            this.mode = mode;
            return this;
        }

        /**
         * Sets the server in standalone mode ({@code cache-host}).
         *
         * @param host the value
         * @return this builder
         */
        public Builder host(HostAndPort host) {
            this.host = host;
            return this;
        }

        /**
         * Sets the cluster seed nodes, required in cluster mode ({@code cache-nodes}).
         *
         * @param nodes the value
         * @return this builder
         */
        public Builder nodes(List<HostAndPort> nodes) {
            this.nodes = nodes;
            return this;
        }

        /**
         * Sets the replicas per master; above 0 reads prefer replicas ({@code cache-replicas}).
         *
         * @param replicas the value
         * @return this builder
         */
        public Builder replicas(int replicas) {
            this.replicas = replicas;
            return this;
        }

        /**
         * Sets the master name the sentinels watch ({@code cache-sentinel-master}).
         *
         * @param sentinelMaster the value
         * @return this builder
         */
        public Builder sentinelMaster(String sentinelMaster) {
            this.sentinelMaster = sentinelMaster;
            return this;
        }

        /**
         * Sets the sentinels, required in sentinel mode ({@code cache-sentinel-nodes}).
         *
         * @param sentinelNodes the value
         * @return this builder
         */
        public Builder sentinelNodes(List<HostAndPort> sentinelNodes) {
            this.sentinelNodes = sentinelNodes;
            return this;
        }

        /**
         * Sets the password, if any ({@code cache-password}).
         *
         * @param password the value
         * @return this builder
         */
        public Builder password(Optional<String> password) {
            this.password = password;
            return this;
        }

        /**
         * Sets how long one command may take ({@code cache-timeout}).
         *
         * @param timeout the value
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /**
         * Sets the period of the cluster topology refresh ({@code cache-topology-refresh}).
         *
         * @param topologyRefresh the value
         * @return this builder
         */
        public Builder topologyRefresh(Duration topologyRefresh) {
            this.topologyRefresh = topologyRefresh;
            return this;
        }

        /**
         * Sets the most commands queued on a connection ({@code cache-request-queue}).
         *
         * @param requestQueue the value
         * @return this builder
         */
        public Builder requestQueue(int requestQueue) {
            this.requestQueue = requestQueue;
            return this;
        }

        /**
         * Builds the settings.
         *
         * @return the settings
         */
        public CacheSettings build() {
            return new CacheSettings(this);
        }
    }
}
