package io.generalbots.failover.postgres;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigReader;
import io.generalbots.scaling.config.HostAndPort;

/**
 * The database-topology settings of {@code config.csv}: where the PostgreSQL nodes are and how the
 * primary among them is found. They use the {@code shard-} prefix because the database topology is
 * the shard family's (one shard may itself be a Patroni cluster), with names of their own
 * ({@code shard-primary-*}, {@code shard-patroni-*}, {@code shard-read-*}) that gb-sharding does
 * not use.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>shard-primary-discovery</td><td>multihost</td><td>patroni, multihost or none</td></tr>
 *   <tr><td>shard-primary-hosts</td><td>(none)</td><td>PostgreSQL nodes, HOST:PORT list (port 5432 if omitted)</td></tr>
 *   <tr><td>shard-patroni-port</td><td>8008</td><td>Patroni REST API port on every node</td></tr>
 *   <tr><td>shard-patroni-endpoints</td><td>(each host with shard-patroni-port)</td><td>Patroni REST addresses, one per host in the same order</td></tr>
 *   <tr><td>shard-patroni-timeout</td><td>2</td><td>time one Patroni REST request may take</td></tr>
 *   <tr><td>shard-primary-check-interval</td><td>5</td><td>time between background primary checks (0 = only on errors)</td></tr>
 *   <tr><td>shard-primary-retry-timeout</td><td>30</td><td>how long idempotent work is retried while the primary changes</td></tr>
 *   <tr><td>shard-read-pool</td><td>false</td><td>open a second pool over the replicas for reads</td></tr>
 *   <tr><td>shard-read-max-lag</td><td>(none)</td><td>replicas lagging more bytes than this get no reads (patroni mode)</td></tr>
 * </table>
 *
 * <p>An immutable value: {@link #from(BotConfig)} reads a file, {@link #custom()} and
 * {@link #toBuilder()} make settings in code (adding a key adds an accessor and a builder method,
 * so callers are not broken).
 */
public final class PostgresFailoverSettings {

    /** The port of a host given without one. */
    public static final int DEFAULT_POSTGRES_PORT = 5432;

    private static final Map<String, PrimaryDiscoveryMode> MODES = new LinkedHashMap<>();

    static {
        MODES.put("patroni", PrimaryDiscoveryMode.PATRONI);
        MODES.put("multihost", PrimaryDiscoveryMode.MULTIHOST);
        MODES.put("none", PrimaryDiscoveryMode.NONE);
    }

    private final PrimaryDiscoveryMode discovery;
    private final List<HostAndPort> hosts;
    private final int patroniPort;
    private final List<HostAndPort> patroniEndpoints;
    private final Duration patroniTimeout;
    private final Duration checkInterval;
    private final Duration retryTimeout;
    private final boolean readPool;
    private final OptionalLong readMaxLag;

    private PostgresFailoverSettings(Builder b) {
        this.discovery = Objects.requireNonNull(b.discovery, "discovery");
        this.hosts = List.copyOf(b.hosts);
        this.patroniPort = b.patroniPort;
        this.patroniEndpoints = List.copyOf(b.patroniEndpoints);
        this.patroniTimeout = Objects.requireNonNull(b.patroniTimeout, "patroniTimeout");
        this.checkInterval = Objects.requireNonNull(b.checkInterval, "checkInterval");
        this.retryTimeout = Objects.requireNonNull(b.retryTimeout, "retryTimeout");
        this.readPool = b.readPool;
        this.readMaxLag = Objects.requireNonNull(b.readMaxLag, "readMaxLag");
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
     * How the primary is found ({@code shard-primary-discovery}).
     *
     * @return how the primary is found ({@code shard-primary-discovery})
     */
    public PrimaryDiscoveryMode discovery() {
        return discovery;
    }

    /**
     * The PostgreSQL nodes, empty when the feature is not configured ({@code shard-primary-hosts}).
     *
     * @return the PostgreSQL nodes, empty when the feature is not configured ({@code shard-primary-hosts})
     */
    public List<HostAndPort> hosts() {
        return hosts;
    }

    /**
     * The Patroni REST port ({@code shard-patroni-port}).
     *
     * @return the Patroni REST port ({@code shard-patroni-port})
     */
    public int patroniPort() {
        return patroniPort;
    }

    /**
     * The Patroni REST addresses, one per host; empty for each host with the port
     * ({@code shard-patroni-endpoints}).
     *
     * @return the Patroni REST addresses, one per host; empty for each host with the port
     *         ({@code shard-patroni-endpoints})
     */
    public List<HostAndPort> patroniEndpoints() {
        return patroniEndpoints;
    }

    /**
     * The time one REST request may take ({@code shard-patroni-timeout}).
     *
     * @return the time one REST request may take ({@code shard-patroni-timeout})
     */
    public Duration patroniTimeout() {
        return patroniTimeout;
    }

    /**
     * The time between background checks, zero for none ({@code shard-primary-check-interval}).
     *
     * @return the time between background checks, zero for none ({@code shard-primary-check-interval})
     */
    public Duration checkInterval() {
        return checkInterval;
    }

    /**
     * How long idempotent work is retried across a failover ({@code shard-primary-retry-timeout}).
     *
     * @return how long idempotent work is retried across a failover ({@code shard-primary-retry-timeout})
     */
    public Duration retryTimeout() {
        return retryTimeout;
    }

    /**
     * Whether to open a read pool over the replicas ({@code shard-read-pool}).
     *
     * @return whether to open a read pool over the replicas ({@code shard-read-pool})
     */
    public boolean readPool() {
        return readPool;
    }

    /**
     * The largest replication lag in bytes a replica may have to serve reads ({@code shard-read-max-lag}).
     *
     * @return the largest replication lag in bytes a replica may have to serve reads
     *         ({@code shard-read-max-lag})
     */
    public OptionalLong readMaxLag() {
        return readMaxLag;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PostgresFailoverSettings that)) {
            return false;
        }
        return discovery.equals(that.discovery)
                && hosts.equals(that.hosts)
                && patroniPort == that.patroniPort
                && patroniEndpoints.equals(that.patroniEndpoints)
                && patroniTimeout.equals(that.patroniTimeout)
                && checkInterval.equals(that.checkInterval)
                && retryTimeout.equals(that.retryTimeout)
                && readPool == that.readPool
                && readMaxLag.equals(that.readMaxLag);
    }

    @Override
    public int hashCode() {
        return Objects.hash(discovery, hosts, patroniPort, patroniEndpoints, patroniTimeout, checkInterval,
                retryTimeout, readPool, readMaxLag);
    }

    /** The record-style text of the settings, e.g. {@code PostgresFailoverSettings[discovery=..., ...]}. */
    @Override
    public String toString() {
        return "PostgresFailoverSettings[discovery=" + discovery + ", hosts=" + hosts
                + ", patroniPort=" + patroniPort + ", patroniEndpoints=" + patroniEndpoints
                + ", patroniTimeout=" + patroniTimeout + ", checkInterval=" + checkInterval
                + ", retryTimeout=" + retryTimeout + ", readPool=" + readPool + ", readMaxLag=" + readMaxLag + "]";
    }


    /**
     * The settings of a file, or all problems of its keys at once.
     *
     * @param config the configuration
     * @return the settings
     * @throws io.generalbots.scaling.config.ConfigException if a value is bad
     */
    public static PostgresFailoverSettings from(BotConfig config) {
        ConfigReader reader = config.reader();
        PostgresFailoverSettings settings = read(reader);
        reader.throwIfInvalid();
        return settings;
    }

    /**
     * Reads the settings, recording problems in the reader instead of throwing.
     *
     * @param r the reader
     * @return the settings (defaults in place of bad values)
     */
    public static PostgresFailoverSettings read(ConfigReader r) {
        PrimaryDiscoveryMode mode = r.getChoice("shard-primary-discovery", MODES);
        List<HostAndPort> hosts = r.getHostPorts("shard-primary-hosts", DEFAULT_POSTGRES_PORT);
        int port = r.getInt("shard-patroni-port", 1, 65535);
        List<HostAndPort> endpoints = r.getHostPorts("shard-patroni-endpoints", port);
        if (!endpoints.isEmpty() && endpoints.size() != hosts.size()) {
            r.reject("shard-patroni-endpoints", "one HOST:PORT per shard-primary-hosts entry (" + hosts.size() + ")");
        }
        Duration timeout = r.getDuration("shard-patroni-timeout", Duration.ofMillis(100), Duration.ofMinutes(1));
        Duration interval = r.getDuration("shard-primary-check-interval", Duration.ZERO, Duration.ofHours(1));
        Duration retry = r.getDuration("shard-primary-retry-timeout", Duration.ZERO, Duration.ofHours(1));
        boolean readPool = r.getBoolean("shard-read-pool");
        OptionalLong maxLag = OptionalLong.empty();
        if (r.isSet("shard-read-max-lag")) {
            maxLag = OptionalLong.of(r.getLong("shard-read-max-lag", 0, Long.MAX_VALUE / 2));
            if (mode != PrimaryDiscoveryMode.PATRONI) {
                r.reject("shard-read-max-lag", "unset unless shard-primary-discovery is patroni "
                        + "(only Patroni reports replication lag)");
            } else if (!readPool) {
                r.warn("shard-read-max-lag", "shard-read-max-lag has no effect while shard-read-pool is false");
            }
        }
        if (r.isSet("shard-primary-discovery") && mode == PrimaryDiscoveryMode.PATRONI && hosts.isEmpty()
                && !r.isSet("shard-primary-hosts")) {
            r.error("shard-primary-discovery", "shard-primary-discovery is patroni, but shard-primary-hosts "
                    + "(the nodes to ask) is not set");
        }
        if (mode == PrimaryDiscoveryMode.NONE && hosts.size() > 1) {
            r.reject("shard-primary-hosts", "one host when shard-primary-discovery is none "
                    + "(use multihost or patroni for several)");
        }
        return new Builder().discovery(mode).hosts(hosts).patroniPort(port).patroniEndpoints(endpoints)
                .patroniTimeout(timeout).checkInterval(interval).retryTimeout(retry).readPool(readPool)
                .readMaxLag(maxLag).build();
    }

    /**
     * Whether the file configures the feature at all ({@code shard-primary-hosts} given).
     *
     * @return true when there are hosts
     */
    public boolean configured() {
        return !hosts.isEmpty();
    }

    /**
     * The defaults: what an empty {@code config.csv} gives (multihost discovery, no hosts: not configured).
     *
     * @return the default settings
     */
    public static PostgresFailoverSettings ofDefaults() {
        return from(BotConfig.ofDefaults());
    }

    /** Builds {@link PostgresFailoverSettings}: start from {@link #custom()} or {@link #toBuilder()}. */
    public static final class Builder {
        private PrimaryDiscoveryMode discovery;
        private List<HostAndPort> hosts;
        private int patroniPort;
        private List<HostAndPort> patroniEndpoints;
        private Duration patroniTimeout;
        private Duration checkInterval;
        private Duration retryTimeout;
        private boolean readPool;
        private OptionalLong readMaxLag;

        private Builder() {
        }

        private Builder(PostgresFailoverSettings s) {
            this.discovery = s.discovery;
            this.hosts = s.hosts;
            this.patroniPort = s.patroniPort;
            this.patroniEndpoints = s.patroniEndpoints;
            this.patroniTimeout = s.patroniTimeout;
            this.checkInterval = s.checkInterval;
            this.retryTimeout = s.retryTimeout;
            this.readPool = s.readPool;
            this.readMaxLag = s.readMaxLag;
        }

        /**
         * Sets how the primary is found ({@code shard-primary-discovery}).
         *
         * @param discovery the value
         * @return this builder
         */
        public Builder discovery(PrimaryDiscoveryMode discovery) {
            this.discovery = discovery;
            return this;
        }

        /**
         * Sets the PostgreSQL nodes, empty when the feature is not configured ({@code shard-primary-hosts}).
         *
         * @param hosts the value
         * @return this builder
         */
        public Builder hosts(List<HostAndPort> hosts) {
            this.hosts = hosts;
            return this;
        }

        /**
         * Sets the Patroni REST port ({@code shard-patroni-port}).
         *
         * @param patroniPort the value
         * @return this builder
         */
        public Builder patroniPort(int patroniPort) {
            this.patroniPort = patroniPort;
            return this;
        }

        /**
         * Sets the Patroni REST addresses, one per host; empty for each host with the port
         * ({@code shard-patroni-endpoints}).
         *
         * @param patroniEndpoints the value
         * @return this builder
         */
        public Builder patroniEndpoints(List<HostAndPort> patroniEndpoints) {
            this.patroniEndpoints = patroniEndpoints;
            return this;
        }

        /**
         * Sets the time one REST request may take ({@code shard-patroni-timeout}).
         *
         * @param patroniTimeout the value
         * @return this builder
         */
        public Builder patroniTimeout(Duration patroniTimeout) {
            this.patroniTimeout = patroniTimeout;
            return this;
        }

        /**
         * Sets the time between background checks, zero for none ({@code shard-primary-check-interval}).
         *
         * @param checkInterval the value
         * @return this builder
         */
        public Builder checkInterval(Duration checkInterval) {
            this.checkInterval = checkInterval;
            return this;
        }

        /**
         * Sets how long idempotent work is retried across a failover ({@code shard-primary-retry-timeout}).
         *
         * @param retryTimeout the value
         * @return this builder
         */
        public Builder retryTimeout(Duration retryTimeout) {
            this.retryTimeout = retryTimeout;
            return this;
        }

        /**
         * Sets whether to open a read pool over the replicas ({@code shard-read-pool}).
         *
         * @param readPool the value
         * @return this builder
         */
        public Builder readPool(boolean readPool) {
            this.readPool = readPool;
            return this;
        }

        /**
         * Sets the largest replication lag in bytes a replica may have to serve reads
         * ({@code shard-read-max-lag}).
         *
         * @param readMaxLag the value
         * @return this builder
         */
        public Builder readMaxLag(OptionalLong readMaxLag) {
            this.readMaxLag = readMaxLag;
            return this;
        }

        /**
         * Builds the settings.
         *
         * @return the settings
         */
        public PostgresFailoverSettings build() {
            return new PostgresFailoverSettings(this);
        }
    }
}
