package io.generalbots.sharding.qdrant;

import java.util.Collection;
import java.util.List;

import io.generalbots.scaling.config.ConfigKey;
import io.generalbots.scaling.config.ConfigKeyProvider;
import io.generalbots.scaling.config.ConfigReader;

/**
 * The {@code qdrant-*} keys: the seed's three sharding keys with its values as defaults, plus the
 * connection, vector and sharding-method keys this module adds. Found by
 * {@link java.util.ServiceLoader}; it never loads the Qdrant client.
 */
public final class QdrantConfigKeys implements ConfigKeyProvider {

    /** Creates the provider (ServiceLoader needs a public constructor). */
    public QdrantConfigKeys() {
    }

    @Override
    public Collection<ConfigKey> keys() {
        return List.of(
                ConfigKey.optional("qdrant-host", "host",
                        "Qdrant server (gRPC); Qdrant is not used when unset"),
                ConfigKey.of("qdrant-port", "integer 1..65535", "6334", "Qdrant gRPC port"),
                ConfigKey.of("qdrant-tls", "boolean", "false", "Connect to Qdrant with TLS"),
                ConfigKey.optional("qdrant-api-key", "text|env:VARIABLE",
                        "Qdrant API key (api-key header); env:VARIABLE reads it from the environment"),
                ConfigKey.of("qdrant-timeout", "duration", "5", "Deadline of each Qdrant request"),
                ConfigKey.of("qdrant-shard-count", "integer 1..1000", "4",
                        "Shards per collection (per shard key with custom sharding)"),
                ConfigKey.of("qdrant-replication-factor", "integer 1..100", "2", "Copies of each shard"),
                ConfigKey.of("qdrant-write-consistency", "integer|majority|all", "majority",
                        "Replicas that must apply a write: a number, majority (replication/2+1) or all"),
                ConfigKey.of("qdrant-vector-size", "integer 1..65536", "384", "Dimensions of the kb_BOTID vectors"),
                ConfigKey.of("qdrant-distance", "cosine|dot|euclid|manhattan", "cosine",
                        "Similarity measure of the kb_BOTID vectors"),
                ConfigKey.of("qdrant-sharding-method", "auto|custom", "auto",
                        "auto: shards by point id; custom: one shard key per tenant or region"));
    }

    @Override
    public void validate(ConfigReader reader) {
        QdrantSettings.read(reader);
    }
}
