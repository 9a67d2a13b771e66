package io.generalbots.sharding.qdrant;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import io.generalbots.scaling.Checks;
import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigReader;

/**
 * The Qdrant settings of {@code config.csv} ({@code qdrant-*}). The seed's three keys keep the
 * seed's values as defaults ({@code qdrant-shard-count,4}, {@code qdrant-replication-factor,2},
 * {@code qdrant-write-consistency,majority}); the connection, vector and sharding-method keys are
 * ours (see {@link QdrantConfigKeys}). This class does not touch the Qdrant client, so it can be
 * read and validated without it on the class path.
 *
 * @param host              {@code qdrant-host}: the Qdrant server, or empty when Qdrant is not used
 * @param port              {@code qdrant-port}: its gRPC port (6334)
 * @param tls               {@code qdrant-tls}: connect with TLS
 * @param apiKey            {@code qdrant-api-key}: the API key, if the server wants one ({@code env:VAR}
 *                          in the file reads it from the environment)
 * @param timeout           {@code qdrant-timeout}: deadline of every request
 * @param shardCount        {@code qdrant-shard-count}: shards of a collection (per shard key with
 *                          custom sharding)
 * @param replicationFactor {@code qdrant-replication-factor}: copies of each shard
 * @param writeConsistency  {@code qdrant-write-consistency}: replicas that must apply a write
 * @param vectorSize        {@code qdrant-vector-size}: dimensions of the embeddings (384)
 * @param distance          {@code qdrant-distance}: the similarity measure (cosine)
 * @param shardingMethod    {@code qdrant-sharding-method}: auto (by point id) or custom (by shard key)
 */
public record QdrantSettings(Optional<String> host, int port, boolean tls, Optional<String> apiKey, Duration timeout,
                             int shardCount, int replicationFactor, WriteConsistency writeConsistency,
                             int vectorSize, Distance distance, ShardingMethod shardingMethod) {

    /** The similarity measure of a collection's vectors. */
    public enum Distance {
        /** Cosine similarity (the seed's). */
        COSINE,
        /** Dot product. */
        DOT,
        /** Euclidean distance. */
        EUCLID,
        /** Manhattan distance. */
        MANHATTAN
    }

    /** How Qdrant places points on shards. */
    public enum ShardingMethod {
        /** By a hash of the point id, over {@code qdrant-shard-count} shards. */
        AUTO,
        /** By a shard key (tenant or region) given with every request; shards are made per key. */
        CUSTOM
    }

    /**
     * Creates settings, checking each value and the write consistency against the replication factor.
     *
     * @param host              the server, or empty
     * @param port              the gRPC port, 1..65535
     * @param tls               whether to use TLS
     * @param apiKey            the API key, or empty
     * @param timeout           the request deadline, positive
     * @param shardCount        shards, 1..1000
     * @param replicationFactor replicas, 1..100
     * @param writeConsistency  write consistency, at most the replication factor
     * @param vectorSize        dimensions, 1..65536
     * @param distance          similarity measure
     * @param shardingMethod    sharding method
     * @throws IllegalArgumentException naming the bad value
     */
    public QdrantSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(writeConsistency, "writeConsistency");
        Objects.requireNonNull(distance, "distance");
        Objects.requireNonNull(shardingMethod, "shardingMethod");
        host.ifPresent(h -> Checks.require(isHost(h), "qdrant-host",
                "a host name or IP address without scheme or port", "\"" + h + "\""));
        Checks.requireRange("qdrant-port", port, 1, 65535);
        Checks.requirePositive("qdrant-timeout", timeout);
        Checks.requireRange("qdrant-shard-count", shardCount, 1, 1000);
        Checks.requireRange("qdrant-replication-factor", replicationFactor, 1, 100);
        writeConsistency.factorFor(replicationFactor);
        Checks.requireRange("qdrant-vector-size", vectorSize, 1, 65536);
    }

    /**
     * The settings of a file, or every problem of its {@code qdrant-*} keys at once.
     *
     * @param config the configuration
     * @return the settings
     * @throws io.generalbots.scaling.config.ConfigException if a value is bad
     */
    public static QdrantSettings from(BotConfig config) {
        ConfigReader reader = config.reader();
        QdrantSettings settings = read(reader);
        reader.throwIfInvalid();
        return settings;
    }

    /**
     * The defaults: no host, port 6334 without TLS, 5 s timeout, 4 shards, replication 2, majority,
     * 384 dimensions, cosine, auto sharding.
     *
     * @return the default settings
     */
    public static QdrantSettings ofDefaults() {
        return from(BotConfig.ofDefaults());
    }

    /**
     * Reads the settings, recording problems in the reader instead of throwing.
     *
     * @param r the reader
     * @return the settings (with defaults in place of bad values)
     */
    public static QdrantSettings read(ConfigReader r) {
        return read(r, System::getenv);
    }

    static QdrantSettings read(ConfigReader r, Function<String, String> environment) {
        Optional<String> host = r.isSet("qdrant-host")
                ? Optional.of(r.parse("qdrant-host", "a host name or IP address without scheme or port (the port is "
                        + "qdrant-port)", v -> isHost(v) ? v : null, "localhost"))
                : Optional.empty();
        int port = r.getInt("qdrant-port", 1, 65535);
        if (port == 6333) {
            r.warn("qdrant-port", "qdrant-port 6333 is Qdrant's REST port; this client speaks gRPC (Qdrant's 6334)");
        }
        boolean tls = r.getBoolean("qdrant-tls");
        Optional<String> apiKey = r.isSet("qdrant-api-key") ? apiKey(r, environment) : Optional.empty();
        if (apiKey.isPresent() && !tls) {
            r.warn("qdrant-api-key", "qdrant-api-key is sent in clear text because qdrant-tls is false");
        }
        Duration timeout = r.getDuration("qdrant-timeout", Duration.ofMillis(1), Duration.ofMinutes(10));
        int shards = r.getInt("qdrant-shard-count", 1, 1000);
        int before = r.problems().size();
        int replication = r.getInt("qdrant-replication-factor", 1, 100);
        boolean replicationValid = r.problems().size() == before;
        WriteConsistency consistency = r.parse("qdrant-write-consistency", "a whole number from 1, majority or all",
                WriteConsistency::parse, WriteConsistency.majority());
        if (replicationValid && !consistency.fits(replication)) {
            r.reject("qdrant-write-consistency", "at most qdrant-replication-factor (" + replication + ")");
            consistency = WriteConsistency.majority();
        }
        int vectorSize = r.getInt("qdrant-vector-size", 1, 65536);
        Distance distance = r.getEnum("qdrant-distance", Distance.class);
        ShardingMethod method = r.getEnum("qdrant-sharding-method", ShardingMethod.class);
        if (r.hasErrors()) {
            // keep the record constructible; the caller throws the recorded problems
            consistency = WriteConsistency.majority();
            host = host.filter(QdrantSettings::isHost);
        }
        return new QdrantSettings(host, port, tls, apiKey, timeout, shards, replication, consistency, vectorSize,
                distance, method);
    }

    private static Optional<String> apiKey(ConfigReader r, Function<String, String> environment) {
        String value = r.getString("qdrant-api-key");
        if (!value.startsWith("env:")) {
            return value.isEmpty() ? Optional.empty() : Optional.of(value);
        }
        String variable = value.substring(4);
        if (!variable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            r.reject("qdrant-api-key", "the key itself, or env:VARIABLE naming an environment variable");
            return Optional.empty();
        }
        String key = environment.apply(variable);
        if (key == null || key.isEmpty()) {
            r.error("qdrant-api-key", "qdrant-api-key names environment variable " + variable + ", which is not set");
            return Optional.empty();
        }
        return Optional.of(key);
    }

    /**
     * Whether a Qdrant server is configured ({@code qdrant-host} is set).
     *
     * @return true when Qdrant is used
     */
    public boolean isConfigured() {
        return host.isPresent();
    }

    /**
     * The write consistency factor sent to Qdrant: the resolved {@link #writeConsistency()}.
     *
     * @return 1..replicationFactor
     */
    public int writeConsistencyFactor() {
        return writeConsistency.factorFor(replicationFactor);
    }

    /**
     * The settings with another host (e.g. from an environment variable).
     *
     * @param newHost the server
     * @return new settings
     */
    public QdrantSettings withHost(String newHost) {
        return new QdrantSettings(Optional.of(newHost), port, tls, apiKey, timeout, shardCount, replicationFactor,
                writeConsistency, vectorSize, distance, shardingMethod);
    }

    /**
     * The settings with another sharding method.
     *
     * @param method the method
     * @return new settings
     */
    public QdrantSettings withShardingMethod(ShardingMethod method) {
        return new QdrantSettings(host, port, tls, apiKey, timeout, shardCount, replicationFactor,
                writeConsistency, vectorSize, distance, method);
    }

    /**
     * The settings with another request timeout.
     *
     * @param newTimeout the deadline of each request
     * @return new settings
     */
    public QdrantSettings withTimeout(Duration newTimeout) {
        return new QdrantSettings(host, port, tls, apiKey, newTimeout, shardCount, replicationFactor,
                writeConsistency, vectorSize, distance, shardingMethod);
    }

    /** Prints the settings with the API key masked. */
    @Override
    public String toString() {
        return "QdrantSettings[host=" + host.orElse("none") + ", port=" + port + ", tls=" + tls + ", apiKey="
                + (apiKey.isPresent() ? "***" : "none") + ", timeout=" + timeout + ", shardCount=" + shardCount
                + ", replicationFactor=" + replicationFactor + ", writeConsistency=" + writeConsistency
                + " (" + writeConsistencyFactor() + "), vectorSize=" + vectorSize + ", distance="
                + distance.name().toLowerCase(java.util.Locale.ROOT) + ", shardingMethod="
                + shardingMethod.name().toLowerCase(java.util.Locale.ROOT) + "]";
    }

    static boolean isHost(String h) {
        return h.matches("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})") || h.matches("[0-9A-Fa-f]{0,4}(:[0-9A-Fa-f.]{0,15}){2,8}");
    }
}
