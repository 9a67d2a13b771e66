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
 * @param discovery     how the primary is found
 * @param hosts         the PostgreSQL nodes; empty when the feature is not configured
 * @param patroniPort   the Patroni REST port
 * @param patroniEndpoints the Patroni REST addresses, one per host; empty for each host with the port
 * @param patroniTimeout time one REST request may take
 * @param checkInterval time between background checks, zero for none
 * @param retryTimeout  how long idempotent work is retried across a failover
 * @param readPool      whether to open a read pool over the replicas
 * @param readMaxLag    the largest replication lag in bytes a replica may have to serve reads
 */
public record PostgresFailoverSettings(PrimaryDiscoveryMode discovery, List<HostAndPort> hosts, int patroniPort,
                                       List<HostAndPort> patroniEndpoints, Duration patroniTimeout, Duration checkInterval, Duration retryTimeout,
                                       boolean readPool, OptionalLong readMaxLag) {

    /** The port of a host given without one. */
    public static final int DEFAULT_POSTGRES_PORT = 5432;

    private static final Map<String, PrimaryDiscoveryMode> MODES = new LinkedHashMap<>();

    static {
        MODES.put("patroni", PrimaryDiscoveryMode.PATRONI);
        MODES.put("multihost", PrimaryDiscoveryMode.MULTIHOST);
        MODES.put("none", PrimaryDiscoveryMode.NONE);
    }

    /**
     * Creates settings; values are assumed valid (use {@link #from(BotConfig)} for a file).
     *
     * @param discovery      how the primary is found
     * @param hosts          the nodes
     * @param patroniPort    the Patroni REST port
     * @param patroniEndpoints the Patroni REST addresses, or empty
     * @param patroniTimeout time one REST request may take
     * @param checkInterval  time between background checks
     * @param retryTimeout   how long idempotent work is retried
     * @param readPool       whether to open a read pool
     * @param readMaxLag     the largest lag for reads
     */
    public PostgresFailoverSettings {
        Objects.requireNonNull(discovery, "discovery");
        hosts = List.copyOf(hosts);
        patroniEndpoints = List.copyOf(patroniEndpoints);
        Objects.requireNonNull(patroniTimeout, "patroniTimeout");
        Objects.requireNonNull(checkInterval, "checkInterval");
        Objects.requireNonNull(retryTimeout, "retryTimeout");
        Objects.requireNonNull(readMaxLag, "readMaxLag");
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
        return new PostgresFailoverSettings(mode, hosts, port, endpoints, timeout, interval, retry, readPool, maxLag);
    }

    /**
     * Whether the file configures the feature at all ({@code shard-primary-hosts} given).
     *
     * @return true when there are hosts
     */
    public boolean configured() {
        return !hosts.isEmpty();
    }
}
