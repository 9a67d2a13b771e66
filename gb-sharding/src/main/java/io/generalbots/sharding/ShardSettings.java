package io.generalbots.sharding;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigReader;

/**
 * The sharding settings of {@code config.csv} ({@code shard-*}).
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>shard-strategy</td><td>(none)</td><td>tenant, hash, range or geo</td></tr>
 *   <tr><td>shard-tenant-db-prefix</td><td>gb_tenant_</td><td>tenant database = prefix + id</td></tr>
 *   <tr><td>shard-auto-create</td><td>false</td><td>create a missing tenant database</td></tr>
 *   <tr><td>shard-tenant-strict</td><td>false</td><td>refuse tenant ids not in normal form (lower-case
 *       letters, digits, _), so that no two ids share a database</td></tr>
 *   <tr><td>shard-count</td><td>4</td><td>hash shards shard-0..shard-(N-1)</td></tr>
 *   <tr><td>shard-key</td><td>user_id</td><td>the column holding the shard key</td></tr>
 *   <tr><td>shard-algorithm</td><td>modulo</td><td>modulo or jump</td></tr>
 *   <tr><td>shard-ranges</td><td>(none)</td><td>LOW-HIGH:NAME,...; last may be LOW-:NAME</td></tr>
 *   <tr><td>shard-geo-REGION</td><td>(none)</td><td>host of a region: HOST, IPv4 or [IPv6], optional :PORT</td></tr>
 *   <tr><td>shard-default</td><td>(none)</td><td>host of other regions (same form)</td></tr>
 *   <tr><td>shard-url-template</td><td>jdbc:postgresql://{host}/{database}</td><td>shard to JDBC URL</td></tr>
 *   <tr><td>shard-url-NAME</td><td>(none)</td><td>JDBC URL of shard NAME</td></tr>
 *   <tr><td>shard-host</td><td>localhost:5432</td><td>{host} for hash, range, tenant shards (HOST[:PORT],
 *       comma-separated)</td></tr>
 *   <tr><td>shard-database</td><td>(derived)</td><td>{database} for hash, range, geo shards</td></tr>
 *   <tr><td>shard-admin-database</td><td>postgres</td><td>where CREATE DATABASE runs</td></tr>
 *   <tr><td>shard-pool-size</td><td>10</td><td>most connections per shard pool</td></tr>
 *   <tr><td>shard-connection-budget</td><td>100</td><td>most connections of all pools</td></tr>
 *   <tr><td>shard-connect-timeout</td><td>5</td><td>seconds to get a connection</td></tr>
 *   <tr><td>shard-socket-timeout</td><td>30</td><td>seconds a read may block</td></tr>
 *   <tr><td>shard-drain-timeout</td><td>30</td><td>seconds an evicted pool waits for borrowers</td></tr>
 *   <tr><td>shard-hotspot-ratio</td><td>1.2</td><td>shard/mean ratio flagged as a hotspot</td></tr>
 * </table>
 *
 * @param strategy       the routing strategy, {@link ShardStrategy#NONE} when unset
 * @param tenantDbPrefix tenant database prefix
 * @param autoCreate     whether missing tenant databases are created
 * @param tenantStrict   whether tenant ids must already be in normal form (no two ids share a database)
 * @param count          number of hash shards
 * @param keyColumn      the shard key column
 * @param algorithm      hash algorithm
 * @param ranges         the ranges (empty unless given)
 * @param geoHosts       region to host (lower-case regions, file order)
 * @param defaultHost    host for other regions, or null
 * @param urlTemplate    JDBC URL template
 * @param urlOverrides   shard name to JDBC URL
 * @param host           {host} for hash, range and tenant shards
 * @param database       {database} for hash, range and geo shards, or null to derive it
 * @param adminDatabase  database for CREATE DATABASE
 * @param poolSize       most connections of one pool
 * @param connectionBudget most connections of all pools
 * @param connectTimeout time to wait for a connection
 * @param socketTimeout  time a read may block
 * @param drainTimeout   time an evicted pool waits for its borrowers
 * @param hotspotRatio   shard-to-mean ratio above which a shard is a hotspot
 */
public record ShardSettings(ShardStrategy strategy, String tenantDbPrefix, boolean autoCreate, boolean tenantStrict,
                            int count,
                            String keyColumn, ShardAlgorithm algorithm, List<ShardRange> ranges,
                            Map<String, String> geoHosts, String defaultHost, String urlTemplate,
                            Map<String, String> urlOverrides, String host, String database, String adminDatabase,
                            int poolSize, int connectionBudget, Duration connectTimeout, Duration socketTimeout,
                            Duration drainTimeout, double hotspotRatio) {

    /** The expectation of a host value: HOST, IPv4, [IPv6], each with an optional :PORT. */
    private static final String HOST_EXPECTED = "a host name or address";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");
    private static final Map<String, ShardStrategy> STRATEGIES = choices(ShardStrategy.TENANT, ShardStrategy.HASH,
            ShardStrategy.RANGE, ShardStrategy.GEO);
    private static final Map<String, ShardAlgorithm> ALGORITHMS = choices(ShardAlgorithm.MODULO, ShardAlgorithm.JUMP);

    /**
     * Creates settings; values are assumed valid (use {@link #from(BotConfig)} for a file).
     *
     * @param strategy         the routing strategy
     * @param tenantDbPrefix   tenant database prefix
     * @param autoCreate       whether missing tenant databases are created
     * @param tenantStrict     whether tenant ids must already be in normal form
     * @param count            number of hash shards
     * @param keyColumn        the shard key column
     * @param algorithm        hash algorithm
     * @param ranges           the ranges
     * @param geoHosts         region to host
     * @param defaultHost      host for other regions, or null
     * @param urlTemplate      JDBC URL template
     * @param urlOverrides     shard to JDBC URL
     * @param host             {host} for hash, range, tenant shards
     * @param database         {database} for hash, range, geo shards, or null
     * @param adminDatabase    database for CREATE DATABASE
     * @param poolSize         most connections of one pool
     * @param connectionBudget most connections of all pools
     * @param connectTimeout   time to wait for a connection
     * @param socketTimeout    time a read may block
     * @param drainTimeout     time an evicted pool waits for its borrowers
     * @param hotspotRatio     hotspot ratio
     */
    public ShardSettings {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(algorithm, "algorithm");
        ranges = List.copyOf(ranges);
        geoHosts = Map.copyOf(geoHosts);
        urlOverrides = Map.copyOf(urlOverrides);
    }

    /**
     * The settings of a file, or every problem of its {@code shard-*} keys at once.
     *
     * @param config the configuration
     * @return the settings
     * @throws io.generalbots.scaling.config.ConfigException if a value is bad
     */
    public static ShardSettings from(BotConfig config) {
        ConfigReader reader = config.reader();
        ShardSettings settings = read(reader);
        reader.throwIfInvalid();
        return settings;
    }

    /**
     * The defaults (no strategy).
     *
     * @return the default settings
     */
    public static ShardSettings ofDefaults() {
        return from(BotConfig.ofDefaults());
    }

    /**
     * Reads the settings, recording problems in the reader instead of throwing.
     *
     * @param r the reader
     * @return the settings (defaults in place of bad values)
     */
    public static ShardSettings read(ConfigReader r) {
        ShardStrategy strategy = r.isSet("shard-strategy") ? r.getChoice("shard-strategy", STRATEGIES) : ShardStrategy.NONE;
        String prefix = r.parse("shard-tenant-db-prefix",
                "an ASCII letter or _ followed by letters, digits or _, at most 62 bytes",
                v -> ShardNames.isIdentifier(v) && v.length() < ShardNames.MAX_IDENTIFIER_BYTES ? v : null, "gb_tenant_");
        boolean autoCreate = r.getBoolean("shard-auto-create");
        boolean tenantStrict = r.getBoolean("shard-tenant-strict");
        int count = r.getInt("shard-count", 1, 65536);
        String keyColumn = r.parse("shard-key", "a column name (an ASCII letter or _ followed by letters, digits or _)",
                v -> ShardNames.isIdentifier(v) ? v : null, "user_id");
        ShardAlgorithm algorithm = r.getChoice("shard-algorithm", ALGORITHMS);

        List<ShardRange> ranges = List.of();
        if (r.isSet("shard-ranges")) {
            String text = r.find("shard-ranges").orElse("");
            try {
                ranges = ShardRange.parseList(text);
            } catch (IllegalArgumentException e) {
                r.error("shard-ranges", "shard-ranges " + e.getMessage() + ", but was \"" + text + "\"");
            }
        } else if (strategy == ShardStrategy.RANGE) {
            r.error("shard-strategy", "shard-strategy range needs shard-ranges (LOW-HIGH:NAME,...), but it is not set");
        }

        Map<String, String> geo = new LinkedHashMap<>();
        for (String key : r.keysStartingWith("shard-geo-")) {
            String host = r.parse(key, HOST_EXPECTED, v -> ShardNames.isHostAndPort(v) ? v : null, null);
            if (host != null) {
                geo.put(key.substring("shard-geo-".length()).toLowerCase(Locale.ROOT), host);
            }
        }
        String defaultHost = null;
        if (r.isSet("shard-default")) {
            defaultHost = r.parse("shard-default", HOST_EXPECTED, v -> ShardNames.isHostAndPort(v) ? v : null, null);
        } else if (!geo.isEmpty()) {
            r.error(r.keysStartingWith("shard-geo-").get(0), "shard-geo-* entries need shard-default for the other "
                    + "regions, but shard-default is not set");
        } else if (strategy == ShardStrategy.GEO) {
            r.error("shard-strategy", "shard-strategy geo needs shard-default (and shard-geo-REGION entries), "
                    + "but shard-default is not set");
        }

        String template = r.parse("shard-url-template",
                "a JDBC URL (jdbc:...) whose placeholders are {shard}, {host} and {database}",
                v -> v.startsWith("jdbc:") && placeholdersKnown(v) ? v : null, "jdbc:postgresql://{host}/{database}");
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String key : r.keysStartingWith("shard-url-")) {
            if (key.equals("shard-url-template")) {
                continue;
            }
            String url = r.parse(key, "a JDBC URL (jdbc:...)", v -> v.startsWith("jdbc:") ? v : null, null);
            if (url != null) {
                overrides.put(key.substring("shard-url-".length()), url);
            }
        }
        String host = r.parse("shard-host", "a host or host:port, or several separated by commas",
                v -> Arrays.stream(v.split(",", -1)).allMatch(ShardNames::isHostAndPort) ? v : null, "localhost:5432");
        String database = r.isSet("shard-database") ? r.parse("shard-database", "a database name",
                v -> v.isEmpty() || v.contains("/") || v.contains("?") ? null : v, null) : null;
        String adminDatabase = r.parse("shard-admin-database", "a database name",
                v -> v.isEmpty() || v.contains("/") || v.contains("?") ? null : v, "postgres");
        int poolSize = r.getInt("shard-pool-size", 1, 1000);
        int budget = r.getInt("shard-connection-budget", 1, 100_000);
        if (budget < poolSize) {
            // a cross-key problem is reported on the line that set it, never on a default's line 0
            if (r.isSet("shard-connection-budget")) {
                r.reject("shard-connection-budget", "at least shard-pool-size (" + poolSize + ")");
            } else {
                r.reject("shard-pool-size", "at most shard-connection-budget (" + budget + ")");
            }
        }
        if (strategy == ShardStrategy.TENANT && autoCreate && budget < 2) {
            // the data source keeps one connection for CREATE DATABASE: checked here so that
            // gb-scale check refuses what ShardedDataSource would refuse
            r.reject("shard-connection-budget", "at least 2 with shard-auto-create (one connection is kept for "
                    + "CREATE DATABASE)");
        }
        Duration connectTimeout = r.getDuration("shard-connect-timeout", Duration.ofMillis(250), Duration.ofHours(1));
        Duration socketTimeout = r.getDuration("shard-socket-timeout", Duration.ZERO, Duration.ofDays(1));
        Duration drainTimeout = r.getDuration("shard-drain-timeout", Duration.ZERO, Duration.ofHours(1));
        double hotspot = r.getDouble("shard-hotspot-ratio", 1, 1000);
        return new ShardSettings(strategy, prefix, autoCreate, tenantStrict, count, keyColumn, algorithm, ranges, geo, defaultHost,
                template, overrides, host, database, adminDatabase, poolSize, budget, connectTimeout, socketTimeout,
                drainTimeout, hotspot);
    }

    private static boolean placeholdersKnown(String template) {
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            String name = m.group(1);
            if (!name.equals("shard") && !name.equals("host") && !name.equals("database")) {
                return false;
            }
        }
        return true;
    }

    @SafeVarargs
    private static <E extends Enum<E>> Map<String, E> choices(E... values) {
        Map<String, E> map = new LinkedHashMap<>();
        for (E e : values) {
            map.put(e.name().toLowerCase(Locale.ROOT), e);
        }
        return map;
    }

    /**
     * The JDBC URL of a target: {@code shard-url-NAME} if given, else the template with
     * {@code {shard}} = the target, {@code {host}} = the target for geo (else {@code shard-host}),
     * {@code {database}} = the target for tenants, else {@code shard-database} if set, else the
     * target with {@code -} and {@code .} as {@code _} (hash, range) or {@code botserver} (geo).
     *
     * @param target a router's target
     * @return the JDBC URL
     */
    public String urlOf(String target) {
        String override = urlOverrides.get(target);
        if (override != null) {
            return override;
        }
        String h = strategy == ShardStrategy.GEO ? target : host;
        String db;
        if (strategy == ShardStrategy.TENANT) {
            db = target;
        } else if (database != null) {
            db = database;
        } else if (strategy == ShardStrategy.GEO) {
            db = "botserver";
        } else {
            db = target.replace('-', '_').replace('.', '_');
        }
        return urlTemplate.replace("{shard}", target).replace("{host}", h).replace("{database}", db);
    }

    /**
     * The JDBC URL of the admin database (for tenant auto-create), on {@code shard-host}.
     *
     * @return the JDBC URL
     */
    public String adminUrl() {
        String override = urlOverrides.get("admin");
        if (override != null) {
            return override;
        }
        return urlTemplate.replace("{shard}", "admin").replace("{host}", host).replace("{database}", adminDatabase);
    }
}
