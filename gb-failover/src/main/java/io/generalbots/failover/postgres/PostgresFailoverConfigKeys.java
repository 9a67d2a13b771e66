package io.generalbots.failover.postgres;

import java.util.Collection;
import java.util.List;

import io.generalbots.scaling.config.ConfigKey;
import io.generalbots.scaling.config.ConfigKeyProvider;
import io.generalbots.scaling.config.ConfigReader;

/**
 * The {@code config.csv} keys of PostgreSQL primary discovery (see {@link PostgresFailoverSettings}).
 * Found by {@link java.util.ServiceLoader}.
 */
public final class PostgresFailoverConfigKeys implements ConfigKeyProvider {

    /** Creates the provider (ServiceLoader needs a public constructor). */
    public PostgresFailoverConfigKeys() {
    }

    @Override
    public Collection<ConfigKey> keys() {
        return List.of(
                ConfigKey.of("shard-primary-discovery", "patroni|multihost|none", "multihost",
                        "How the PostgreSQL primary is found: Patroni's REST API, pgjdbc's multi-host "
                                + "targetServerType=primary, or one fixed host"),
                ConfigKey.optional("shard-primary-hosts", "HOST:PORT list",
                        "The PostgreSQL nodes of the cluster (port 5432 if omitted)"),
                ConfigKey.of("shard-patroni-port", "integer 1..65535", "8008",
                        "Patroni REST API port on every node"),
                ConfigKey.optional("shard-patroni-endpoints", "HOST:PORT list",
                        "Patroni REST addresses, one per shard-primary-hosts entry in the same order "
                                + "(default: each host with shard-patroni-port)"),
                ConfigKey.of("shard-patroni-timeout", "duration", "2",
                        "Time one Patroni REST request may take"),
                ConfigKey.of("shard-primary-check-interval", "duration", "5",
                        "Time between background checks for a new primary (0: only after errors)"),
                ConfigKey.of("shard-primary-retry-timeout", "duration", "30",
                        "How long work marked idempotent is retried while the primary changes"),
                ConfigKey.of("shard-read-pool", "boolean", "false",
                        "Open a second pool over the replicas (preferSecondary, loadBalanceHosts) for reads"),
                ConfigKey.optional("shard-read-max-lag", "integer bytes",
                        "Replicas lagging more than this many bytes get no reads (patroni mode only)"));
    }

    @Override
    public void validate(ConfigReader reader) {
        PostgresFailoverSettings.read(reader);
    }
}
