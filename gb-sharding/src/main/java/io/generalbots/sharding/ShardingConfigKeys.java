package io.generalbots.sharding;

import java.util.Collection;
import java.util.List;

import io.generalbots.scaling.config.ConfigKey;
import io.generalbots.scaling.config.ConfigKeyProvider;
import io.generalbots.scaling.config.ConfigReader;

/**
 * The {@code shard-*} keys of {@code config.csv} that gb-sharding owns (the {@code qdrant-*} keys
 * are declared by the Qdrant part of the module). Found by {@link java.util.ServiceLoader}.
 */
public final class ShardingConfigKeys implements ConfigKeyProvider {

    /** Creates the provider (ServiceLoader needs a public constructor). */
    public ShardingConfigKeys() {
    }

    @Override
    public Collection<ConfigKey> keys() {
        return List.of(
                ConfigKey.optional("shard-strategy", "tenant|hash|range|geo|NAME",
                        "How keys are routed to shards (NAME: a ShardStrategyProvider on the class path); "
                                + "unset means no sharding"),
                ConfigKey.of("shard-tenant-db-prefix", "identifier prefix", "gb_tenant_",
                        "Tenant database name = prefix + tenant id"),
                ConfigKey.of("shard-auto-create", "boolean", "false",
                        "Create a missing tenant database on first use"),
                ConfigKey.of("shard-tenant-strict", "boolean", "false",
                        "Refuse tenant ids that are not already in normal form (lower-case letters, digits, _), "
                                + "so that ids differing only in case or -/_ never share a database"),
                ConfigKey.of("shard-count", "integer 1..65536", "4", "Number of hash shards shard-0..shard-(N-1)"),
                ConfigKey.of("shard-key", "column name", "user_id", "Column holding the shard key"),
                ConfigKey.of("shard-algorithm", "modulo|jump", "modulo",
                        "Hash routing: key mod count, or jump consistent hash"),
                ConfigKey.optional("shard-ranges", "LOW-HIGH:NAME,...",
                        "Inclusive key ranges, in order, without gaps; the last may be open (LOW-:NAME)"),
                ConfigKey.optional("shard-geo-*", "host[:port]",
                        "Host serving a region, e.g. shard-geo-eu: a host name, IPv4 or [IPv6], optional :PORT"),
                ConfigKey.optional("shard-default", "host[:port]",
                        "Host for regions without a shard-geo-REGION (same form as shard-geo-*)"),
                ConfigKey.of("shard-url-template", "JDBC URL with {shard} {host} {database}",
                        "jdbc:postgresql://{host}/{database}", "How a shard becomes a JDBC URL"),
                ConfigKey.optional("shard-url-*", "JDBC URL",
                        "JDBC URL of one shard (shard-url-NAME), overriding the template"),
                ConfigKey.of("shard-host", "host[:port],...", "localhost:5432",
                        "{host} of the template for hash, range and tenant shards (one or more HOST[:PORT], "
                                + "comma-separated)"),
                ConfigKey.optional("shard-database", "database name",
                        "{database} of the template for hash, range and geo shards "
                                + "(default: the shard name with - as _; botserver for geo)"),
                ConfigKey.of("shard-admin-database", "database name", "postgres",
                        "Database the tenant auto-create connects to"),
                ConfigKey.of("shard-pool-size", "integer 1..1000", "10", "Most connections of one shard's pool"),
                ConfigKey.of("shard-connection-budget", "integer 1..100000", "100",
                        "Most connections of all shard pools together; least recently used pools are closed"),
                ConfigKey.of("shard-connect-timeout", "duration", "5",
                        "Seconds to wait for a connection before the shard counts as unavailable"),
                ConfigKey.of("shard-socket-timeout", "duration", "30",
                        "Seconds a query may wait on the network before its connection is dropped"),
                ConfigKey.of("shard-drain-timeout", "duration", "30",
                        "Seconds an evicted pool waits for borrowed connections before it is closed"),
                ConfigKey.of("shard-hotspot-ratio", "number 1..1000", "1.2",
                        "A shard holding more than this times the mean is a hotspot"));
    }

    @Override
    public void validate(ConfigReader reader) {
        ShardSettings.read(reader);
    }
}
