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
 * <p>An immutable value: {@link #from(BotConfig)} reads a file, {@link #custom()} and
 * {@link #toBuilder()} make settings in code (adding a key adds an accessor and a builder method,
 * so callers are not broken).
 */
public final class QdrantSettings {

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

    private final Optional<String> host;
    private final int port;
    private final boolean tls;
    private final Optional<String> apiKey;
    private final Duration timeout;
    private final int shardCount;
    private final int replicationFactor;
    private final WriteConsistency writeConsistency;
    private final int vectorSize;
    private final Distance distance;
    private final ShardingMethod shardingMethod;

    private QdrantSettings(Builder b) {
        this.host = Objects.requireNonNull(b.host, "host");
        this.port = b.port;
        this.tls = b.tls;
        this.apiKey = Objects.requireNonNull(b.apiKey, "apiKey");
        this.timeout = b.timeout;
        this.shardCount = b.shardCount;
        this.replicationFactor = b.replicationFactor;
        this.writeConsistency = Objects.requireNonNull(b.writeConsistency, "writeConsistency");
        this.vectorSize = b.vectorSize;
        this.distance = Objects.requireNonNull(b.distance, "distance");
        this.shardingMethod = Objects.requireNonNull(b.shardingMethod, "shardingMethod");
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
     * A builder pre-filled with the defaults ({@link #ofDefaults()}), for settings made in code or
     * in tests; {@link Builder#build()} checks each value as the file's are checked.
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
     * The Qdrant server, or empty when Qdrant is not used ({@code qdrant-host}).
     *
     * @return the Qdrant server, or empty when Qdrant is not used ({@code qdrant-host})
     */
    public Optional<String> host() {
        return host;
    }

    /**
     * The gRPC port, 6334 by default ({@code qdrant-port}).
     *
     * @return the gRPC port, 6334 by default ({@code qdrant-port})
     */
    public int port() {
        return port;
    }

    /**
     * Whether to connect with TLS ({@code qdrant-tls}).
     *
     * @return whether to connect with TLS ({@code qdrant-tls})
     */
    public boolean tls() {
        return tls;
    }

    /**
     * The API key, if the server wants one ({@code qdrant-api-key}; {@code env:VAR} in the file reads it from
     * the environment).
     *
     * @return the API key, if the server wants one ({@code qdrant-api-key}; {@code env:VAR} in the file reads
     *         it from the environment)
     */
    public Optional<String> apiKey() {
        return apiKey;
    }

    /**
     * The deadline of every request ({@code qdrant-timeout}).
     *
     * @return the deadline of every request ({@code qdrant-timeout})
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * The shards of a collection, per shard key with custom sharding ({@code qdrant-shard-count}).
     *
     * @return the shards of a collection, per shard key with custom sharding ({@code qdrant-shard-count})
     */
    public int shardCount() {
        return shardCount;
    }

    /**
     * The copies of each shard ({@code qdrant-replication-factor}).
     *
     * @return the copies of each shard ({@code qdrant-replication-factor})
     */
    public int replicationFactor() {
        return replicationFactor;
    }

    /**
     * The replicas that must apply a write ({@code qdrant-write-consistency}).
     *
     * @return the replicas that must apply a write ({@code qdrant-write-consistency})
     */
    public WriteConsistency writeConsistency() {
        return writeConsistency;
    }

    /**
     * The dimensions of the embeddings, 384 by default ({@code qdrant-vector-size}).
     *
     * @return the dimensions of the embeddings, 384 by default ({@code qdrant-vector-size})
     */
    public int vectorSize() {
        return vectorSize;
    }

    /**
     * The similarity measure, cosine by default ({@code qdrant-distance}).
     *
     * @return the similarity measure, cosine by default ({@code qdrant-distance})
     */
    public Distance distance() {
        return distance;
    }

    /**
     * Auto (by point id) or custom (by shard key) sharding ({@code qdrant-sharding-method}).
     *
     * @return auto (by point id) or custom (by shard key) sharding ({@code qdrant-sharding-method})
     */
    public ShardingMethod shardingMethod() {
        return shardingMethod;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof QdrantSettings that)) {
            return false;
        }
        return host.equals(that.host)
                && port == that.port
                && tls == that.tls
                && apiKey.equals(that.apiKey)
                && Objects.equals(timeout, that.timeout)
                && shardCount == that.shardCount
                && replicationFactor == that.replicationFactor
                && writeConsistency.equals(that.writeConsistency)
                && vectorSize == that.vectorSize
                && distance.equals(that.distance)
                && shardingMethod.equals(that.shardingMethod);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port, tls, apiKey, timeout, shardCount, replicationFactor, writeConsistency,
                vectorSize, distance, shardingMethod);
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
        return new Builder().host(host).port(port).tls(tls).apiKey(apiKey).timeout(timeout).shardCount(shards)
                .replicationFactor(replication).writeConsistency(consistency).vectorSize(vectorSize).distance(distance)
                .shardingMethod(method).build();
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
        return toBuilder().host(Optional.of(newHost)).build();
    }

    /**
     * The settings with another sharding method.
     *
     * @param method the method
     * @return new settings
     */
    public QdrantSettings withShardingMethod(ShardingMethod method) {
        return toBuilder().shardingMethod(method).build();
    }

    /**
     * The settings with another request timeout.
     *
     * @param newTimeout the deadline of each request
     * @return new settings
     */
    public QdrantSettings withTimeout(Duration newTimeout) {
        return toBuilder().timeout(newTimeout).build();
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

    /** Builds {@link QdrantSettings}: start from {@link #custom()} or {@link #toBuilder()}. */
    public static final class Builder {
        private Optional<String> host;
        private int port;
        private boolean tls;
        private Optional<String> apiKey;
        private Duration timeout;
        private int shardCount;
        private int replicationFactor;
        private WriteConsistency writeConsistency;
        private int vectorSize;
        private Distance distance;
        private ShardingMethod shardingMethod;

        private Builder() {
        }

        private Builder(QdrantSettings s) {
            this.host = s.host;
            this.port = s.port;
            this.tls = s.tls;
            this.apiKey = s.apiKey;
            this.timeout = s.timeout;
            this.shardCount = s.shardCount;
            this.replicationFactor = s.replicationFactor;
            this.writeConsistency = s.writeConsistency;
            this.vectorSize = s.vectorSize;
            this.distance = s.distance;
            this.shardingMethod = s.shardingMethod;
        }

        /**
         * Sets the Qdrant server, or empty when Qdrant is not used ({@code qdrant-host}).
         *
         * @param host the value
         * @return this builder
         */
        public Builder host(Optional<String> host) {
            this.host = host;
            return this;
        }

        /**
         * Sets the gRPC port, 6334 by default ({@code qdrant-port}).
         *
         * @param port the value
         * @return this builder
         */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * Sets whether to connect with TLS ({@code qdrant-tls}).
         *
         * @param tls the value
         * @return this builder
         */
        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        /**
         * Sets the API key, if the server wants one ({@code qdrant-api-key}; {@code env:VAR} in the file
         * reads it from the environment).
         *
         * @param apiKey the value
         * @return this builder
         */
        public Builder apiKey(Optional<String> apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /**
         * Sets the deadline of every request ({@code qdrant-timeout}).
         *
         * @param timeout the value
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /**
         * Sets the shards of a collection, per shard key with custom sharding ({@code qdrant-shard-count}).
         *
         * @param shardCount the value
         * @return this builder
         */
        public Builder shardCount(int shardCount) {
            this.shardCount = shardCount;
            return this;
        }

        /**
         * Sets the copies of each shard ({@code qdrant-replication-factor}).
         *
         * @param replicationFactor the value
         * @return this builder
         */
        public Builder replicationFactor(int replicationFactor) {
            this.replicationFactor = replicationFactor;
            return this;
        }

        /**
         * Sets the replicas that must apply a write ({@code qdrant-write-consistency}).
         *
         * @param writeConsistency the value
         * @return this builder
         */
        public Builder writeConsistency(WriteConsistency writeConsistency) {
            this.writeConsistency = writeConsistency;
            return this;
        }

        /**
         * Sets the dimensions of the embeddings, 384 by default ({@code qdrant-vector-size}).
         *
         * @param vectorSize the value
         * @return this builder
         */
        public Builder vectorSize(int vectorSize) {
            this.vectorSize = vectorSize;
            return this;
        }

        /**
         * Sets the similarity measure, cosine by default ({@code qdrant-distance}).
         *
         * @param distance the value
         * @return this builder
         */
        public Builder distance(Distance distance) {
            this.distance = distance;
            return this;
        }

        /**
         * Sets auto (by point id) or custom (by shard key) sharding ({@code qdrant-sharding-method}).
         *
         * @param shardingMethod the value
         * @return this builder
         */
        public Builder shardingMethod(ShardingMethod shardingMethod) {
            this.shardingMethod = shardingMethod;
            return this;
        }

        /**
         * Builds the settings, checking each value and the write consistency against the replication
         * factor.
         *
         * @return the settings
         * @throws IllegalArgumentException naming the bad value, as {@code NAME must be X, but was V}
         */
        public QdrantSettings build() {
            return new QdrantSettings(this);
        }
    }
}
