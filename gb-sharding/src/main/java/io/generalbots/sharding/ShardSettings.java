package io.generalbots.sharding;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.generalbots.scaling.Checks;
import io.generalbots.scaling.Plugins;
import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigReader;

/**
 * The sharding settings of {@code config.csv} ({@code shard-*}).
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>shard-strategy</td><td>(none)</td><td>tenant, hash, range, geo, or the name of a
 *       {@link ShardStrategyProvider} on the class path</td></tr>
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
 * <p>An immutable value: {@link #from(BotConfig)} reads a file, {@link #custom()} and
 * {@link #toBuilder()} make settings in code.
 */
public final class ShardSettings {

    /** The expectation of a host value: HOST, IPv4, [IPv6], each with an optional :PORT. */
    private static final String HOST_EXPECTED = "a host name or address";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");
    private static final Map<String, ShardStrategy> STRATEGIES = choices(ShardStrategy.TENANT, ShardStrategy.HASH,
            ShardStrategy.RANGE, ShardStrategy.GEO);
    private static final Map<String, ShardAlgorithm> ALGORITHMS = choices(ShardAlgorithm.MODULO, ShardAlgorithm.JUMP);

    private final ShardStrategy strategy;
    private final String strategyName;
    private final String tenantDbPrefix;
    private final boolean autoCreate;
    private final boolean tenantStrict;
    private final int count;
    private final String keyColumn;
    private final ShardAlgorithm algorithm;
    private final List<ShardRange> ranges;
    private final Map<String, String> geoHosts;
    private final String defaultHost;
    private final String urlTemplate;
    private final Map<String, String> urlOverrides;
    private final String host;
    private final String database;
    private final String adminDatabase;
    private final int poolSize;
    private final int connectionBudget;
    private final Duration connectTimeout;
    private final Duration socketTimeout;
    private final Duration drainTimeout;
    private final double hotspotRatio;

    private ShardSettings(Builder b) {
        this.strategy = Objects.requireNonNull(b.strategy, "strategy");
        this.strategyName = Objects.requireNonNull(b.strategyName, "strategyName");
        this.tenantDbPrefix = b.tenantDbPrefix;
        this.autoCreate = b.autoCreate;
        this.tenantStrict = b.tenantStrict;
        this.count = b.count;
        this.keyColumn = b.keyColumn;
        this.algorithm = Objects.requireNonNull(b.algorithm, "algorithm");
        this.ranges = List.copyOf(b.ranges);
        this.geoHosts = Map.copyOf(b.geoHosts);
        this.defaultHost = b.defaultHost;
        this.urlTemplate = b.urlTemplate;
        this.urlOverrides = Map.copyOf(b.urlOverrides);
        this.host = b.host;
        this.database = b.database;
        this.adminDatabase = b.adminDatabase;
        this.poolSize = b.poolSize;
        this.connectionBudget = b.connectionBudget;
        this.connectTimeout = b.connectTimeout;
        this.socketTimeout = b.socketTimeout;
        this.drainTimeout = b.drainTimeout;
        this.hotspotRatio = b.hotspotRatio;
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
     * The routing strategy, {@link ShardStrategy#NONE} when unset.
     *
     * @return the routing strategy, {@link ShardStrategy#NONE} when unset
     */
    public ShardStrategy strategy() {
        return strategy;
    }

    /**
     * The strategy's name as {@code shard-strategy} takes it: {@code tenant}, {@code hash},
     * {@code range}, {@code geo}, or the {@link ShardStrategyProvider#name()} of a
     * {@link ShardStrategy#CUSTOM} strategy; {@code none} when unset.
     *
     * @return the name
     */
    public String strategyName() {
        return strategyName;
    }

    /**
     * The tenant database prefix ({@code shard-tenant-db-prefix}).
     *
     * @return the tenant database prefix ({@code shard-tenant-db-prefix})
     */
    public String tenantDbPrefix() {
        return tenantDbPrefix;
    }

    /**
     * Whether missing tenant databases are created ({@code shard-auto-create}).
     *
     * @return whether missing tenant databases are created ({@code shard-auto-create})
     */
    public boolean autoCreate() {
        return autoCreate;
    }

    /**
     * Whether tenant ids must already be in normal form ({@code shard-tenant-strict}).
     *
     * @return whether tenant ids must already be in normal form ({@code shard-tenant-strict})
     */
    public boolean tenantStrict() {
        return tenantStrict;
    }

    /**
     * The number of hash shards ({@code shard-count}).
     *
     * @return the number of hash shards ({@code shard-count})
     */
    public int count() {
        return count;
    }

    /**
     * The shard key column ({@code shard-key}).
     *
     * @return the shard key column ({@code shard-key})
     */
    public String keyColumn() {
        return keyColumn;
    }

    /**
     * The hash algorithm ({@code shard-algorithm}).
     *
     * @return the hash algorithm ({@code shard-algorithm})
     */
    public ShardAlgorithm algorithm() {
        return algorithm;
    }

    /**
     * The ranges, empty unless given ({@code shard-ranges}).
     *
     * @return the ranges, empty unless given ({@code shard-ranges})
     */
    public List<ShardRange> ranges() {
        return ranges;
    }

    /**
     * Region to host, lower-case regions ({@code shard-geo-REGION}).
     *
     * @return region to host, lower-case regions ({@code shard-geo-REGION})
     */
    public Map<String, String> geoHosts() {
        return geoHosts;
    }

    /**
     * The host of other regions, or null ({@code shard-default}).
     *
     * @return the host of other regions, or null ({@code shard-default})
     */
    public String defaultHost() {
        return defaultHost;
    }

    /**
     * The JDBC URL template ({@code shard-url-template}).
     *
     * @return the JDBC URL template ({@code shard-url-template})
     */
    public String urlTemplate() {
        return urlTemplate;
    }

    /**
     * Shard name to JDBC URL ({@code shard-url-NAME}).
     *
     * @return shard name to JDBC URL ({@code shard-url-NAME})
     */
    public Map<String, String> urlOverrides() {
        return urlOverrides;
    }

    /**
     * {@code {host}} for hash, range and tenant shards ({@code shard-host}).
     *
     * @return {@code {host}} for hash, range and tenant shards ({@code shard-host})
     */
    public String host() {
        return host;
    }

    /**
     * {@code {database}} for hash, range and geo shards, or null to derive it ({@code shard-database}).
     *
     * @return {@code {database}} for hash, range and geo shards, or null to derive it ({@code
     *         shard-database})
     */
    public String database() {
        return database;
    }

    /**
     * The database for CREATE DATABASE ({@code shard-admin-database}).
     *
     * @return the database for CREATE DATABASE ({@code shard-admin-database})
     */
    public String adminDatabase() {
        return adminDatabase;
    }

    /**
     * The most connections of one pool ({@code shard-pool-size}).
     *
     * @return the most connections of one pool ({@code shard-pool-size})
     */
    public int poolSize() {
        return poolSize;
    }

    /**
     * The most connections of all pools ({@code shard-connection-budget}).
     *
     * @return the most connections of all pools ({@code shard-connection-budget})
     */
    public int connectionBudget() {
        return connectionBudget;
    }

    /**
     * The time to wait for a connection ({@code shard-connect-timeout}).
     *
     * @return the time to wait for a connection ({@code shard-connect-timeout})
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * The time a read may block ({@code shard-socket-timeout}).
     *
     * @return the time a read may block ({@code shard-socket-timeout})
     */
    public Duration socketTimeout() {
        return socketTimeout;
    }

    /**
     * The time an evicted pool waits for its borrowers ({@code shard-drain-timeout}).
     *
     * @return the time an evicted pool waits for its borrowers ({@code shard-drain-timeout})
     */
    public Duration drainTimeout() {
        return drainTimeout;
    }

    /**
     * The shard-to-mean ratio above which a shard is a hotspot ({@code shard-hotspot-ratio}).
     *
     * @return the shard-to-mean ratio above which a shard is a hotspot ({@code shard-hotspot-ratio})
     */
    public double hotspotRatio() {
        return hotspotRatio;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ShardSettings that)) {
            return false;
        }
        return strategy.equals(that.strategy)
                && strategyName.equals(that.strategyName)
                && Objects.equals(tenantDbPrefix, that.tenantDbPrefix)
                && autoCreate == that.autoCreate
                && tenantStrict == that.tenantStrict
                && count == that.count
                && Objects.equals(keyColumn, that.keyColumn)
                && algorithm.equals(that.algorithm)
                && ranges.equals(that.ranges)
                && geoHosts.equals(that.geoHosts)
                && Objects.equals(defaultHost, that.defaultHost)
                && Objects.equals(urlTemplate, that.urlTemplate)
                && urlOverrides.equals(that.urlOverrides)
                && Objects.equals(host, that.host)
                && Objects.equals(database, that.database)
                && Objects.equals(adminDatabase, that.adminDatabase)
                && poolSize == that.poolSize
                && connectionBudget == that.connectionBudget
                && Objects.equals(connectTimeout, that.connectTimeout)
                && Objects.equals(socketTimeout, that.socketTimeout)
                && Objects.equals(drainTimeout, that.drainTimeout)
                && Double.compare(hotspotRatio, that.hotspotRatio) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(strategy, strategyName, tenantDbPrefix, autoCreate, tenantStrict, count, keyColumn,
                algorithm, ranges, geoHosts, defaultHost, urlTemplate, urlOverrides, host, database, adminDatabase,
                poolSize, connectionBudget, connectTimeout, socketTimeout, drainTimeout, hotspotRatio);
    }

    /** The record-style text of the settings, e.g. {@code ShardSettings[strategy=..., ...]}. */
    @Override
    public String toString() {
        return "ShardSettings[strategy=" + strategy + ", strategyName=" + strategyName
                + ", tenantDbPrefix=" + tenantDbPrefix
                + ", autoCreate=" + autoCreate + ", tenantStrict=" + tenantStrict + ", count=" + count
                + ", keyColumn=" + keyColumn + ", algorithm=" + algorithm + ", ranges=" + ranges
                + ", geoHosts=" + geoHosts + ", defaultHost=" + defaultHost + ", urlTemplate=" + urlTemplate
                + ", urlOverrides=" + urlOverrides + ", host=" + host + ", database=" + database
                + ", adminDatabase=" + adminDatabase + ", poolSize=" + poolSize
                + ", connectionBudget=" + connectionBudget + ", connectTimeout=" + connectTimeout
                + ", socketTimeout=" + socketTimeout + ", drainTimeout=" + drainTimeout
                + ", hotspotRatio=" + hotspotRatio + "]";
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
        ShardStrategy strategy = ShardStrategy.NONE;
        String strategyName = "none";
        ShardStrategyProvider provider = null;
        if (r.isSet("shard-strategy")) {
            String value = r.find("shard-strategy").orElse("");
            strategy = STRATEGIES.get(value.toLowerCase(Locale.ROOT));
            provider = strategy == null && !value.isEmpty() ? provider(value).orElse(null) : null;
            if (provider != null) {
                strategy = ShardStrategy.CUSTOM;
                strategyName = provider.name();
            } else if (strategy == null) {
                r.reject("shard-strategy", strategyExpectation(providerNames()));
                strategy = ShardStrategy.TENANT; // the first choice in place of a bad value, as before plug-ins
            }
            if (strategy != ShardStrategy.CUSTOM) {
                strategyName = strategy.name().toLowerCase(Locale.ROOT);
            }
        }
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
        Builder b = new Builder();
        b.strategy = strategy;
        b.strategyName = strategyName;
        ShardSettings settings = b.tenantDbPrefix(prefix).autoCreate(autoCreate).tenantStrict(tenantStrict)
                .count(count).keyColumn(keyColumn).algorithm(algorithm).ranges(ranges).geoHosts(geo)
                .defaultHost(defaultHost).urlTemplate(template).urlOverrides(overrides).host(host).database(database)
                .adminDatabase(adminDatabase).poolSize(poolSize).connectionBudget(budget).connectTimeout(connectTimeout)
                .socketTimeout(socketTimeout).drainTimeout(drainTimeout).hotspotRatio(hotspot).build();
        if (provider != null && r.keysStartingWith("shard-").stream().noneMatch(r::hasErrors)) {
            // a strategy of one's own checks the other shard-* keys it needs, so that gb-scale check
            // refuses what the router would refuse
            try {
                Objects.requireNonNull(provider.router(settings), "router");
            } catch (RuntimeException e) {
                r.error("shard-strategy", "shard-strategy " + strategyName + " cannot route with these settings: "
                        + e.getMessage());
            }
        }
        return settings;
    }

    /**
     * The {@link ShardStrategyProvider} of a name, from the class path.
     *
     * @param name the name, compared case-insensitively
     * @return the provider, if one has the name
     */
    static Optional<ShardStrategyProvider> provider(String name) {
        return Plugins.find(ShardStrategyProvider.class, ShardStrategyProvider::name, name);
    }

    static List<String> providerNames() {
        return Plugins.names(ShardStrategyProvider.class, ShardStrategyProvider::name);
    }

    /**
     * What {@code shard-strategy} must be: {@code one of tenant, hash, range, geo}, and, when there
     * are providers on the class path, {@code or a ShardStrategyProvider: NAME, ...}.
     */
    static String strategyExpectation(List<String> providers) {
        return "one of tenant, hash, range, geo" + (providers.isEmpty() ? ""
                : " or a ShardStrategyProvider: " + String.join(", ", providers));
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

    /** Builds {@link ShardSettings}: start from {@link #custom()} or {@link #toBuilder()}. */
    public static final class Builder {
        private ShardStrategy strategy;
        private String strategyName;
        private String tenantDbPrefix;
        private boolean autoCreate;
        private boolean tenantStrict;
        private int count;
        private String keyColumn;
        private ShardAlgorithm algorithm;
        private List<ShardRange> ranges;
        private Map<String, String> geoHosts;
        private String defaultHost;
        private String urlTemplate;
        private Map<String, String> urlOverrides;
        private String host;
        private String database;
        private String adminDatabase;
        private int poolSize;
        private int connectionBudget;
        private Duration connectTimeout;
        private Duration socketTimeout;
        private Duration drainTimeout;
        private double hotspotRatio;

        private Builder() {
        }

        private Builder(ShardSettings s) {
            this.strategy = s.strategy;
            this.strategyName = s.strategyName;
            this.tenantDbPrefix = s.tenantDbPrefix;
            this.autoCreate = s.autoCreate;
            this.tenantStrict = s.tenantStrict;
            this.count = s.count;
            this.keyColumn = s.keyColumn;
            this.algorithm = s.algorithm;
            this.ranges = s.ranges;
            this.geoHosts = s.geoHosts;
            this.defaultHost = s.defaultHost;
            this.urlTemplate = s.urlTemplate;
            this.urlOverrides = s.urlOverrides;
            this.host = s.host;
            this.database = s.database;
            this.adminDatabase = s.adminDatabase;
            this.poolSize = s.poolSize;
            this.connectionBudget = s.connectionBudget;
            this.connectTimeout = s.connectTimeout;
            this.socketTimeout = s.socketTimeout;
            this.drainTimeout = s.drainTimeout;
            this.hotspotRatio = s.hotspotRatio;
        }

        /**
         * Sets a built-in strategy (or {@link ShardStrategy#NONE}); a strategy of your own is set by
         * its name, {@link #strategy(String)}.
         *
         * @param strategy the strategy, not {@link ShardStrategy#CUSTOM}
         * @return this builder
         * @throws IllegalArgumentException for {@link ShardStrategy#CUSTOM}
         */
        public Builder strategy(ShardStrategy strategy) {
            Objects.requireNonNull(strategy, "strategy");
            Checks.require(strategy != ShardStrategy.CUSTOM, "strategy",
                    "a built-in strategy (choose a ShardStrategyProvider by its name)", strategy);
            this.strategy = strategy;
            this.strategyName = strategy.name().toLowerCase(Locale.ROOT);
            return this;
        }

        /**
         * Sets the strategy by the name {@code shard-strategy} takes: {@code tenant}, {@code hash},
         * {@code range}, {@code geo}, or the name of a {@link ShardStrategyProvider} on the class
         * path (then the strategy is {@link ShardStrategy#CUSTOM}).
         *
         * @param name the name, compared case-insensitively
         * @return this builder
         * @throws IllegalArgumentException listing the names known, if none has that name
         */
        public Builder strategy(String name) {
            Objects.requireNonNull(name, "name");
            ShardStrategy builtIn = STRATEGIES.get(name.toLowerCase(Locale.ROOT));
            if (builtIn != null) {
                return strategy(builtIn);
            }
            ShardStrategyProvider provider = provider(name).orElseThrow(() -> new IllegalArgumentException(
                    "shard-strategy must be " + strategyExpectation(providerNames()) + ", but was \"" + name + "\""));
            this.strategy = ShardStrategy.CUSTOM;
            this.strategyName = provider.name();
            return this;
        }

        /**
         * Sets the tenant database prefix ({@code shard-tenant-db-prefix}).
         *
         * @param tenantDbPrefix the value
         * @return this builder
         */
        public Builder tenantDbPrefix(String tenantDbPrefix) {
            this.tenantDbPrefix = tenantDbPrefix;
            return this;
        }

        /**
         * Sets whether missing tenant databases are created ({@code shard-auto-create}).
         *
         * @param autoCreate the value
         * @return this builder
         */
        public Builder autoCreate(boolean autoCreate) {
            this.autoCreate = autoCreate;
            return this;
        }

        /**
         * Sets whether tenant ids must already be in normal form ({@code shard-tenant-strict}).
         *
         * @param tenantStrict the value
         * @return this builder
         */
        public Builder tenantStrict(boolean tenantStrict) {
            this.tenantStrict = tenantStrict;
            return this;
        }

        /**
         * Sets the number of hash shards ({@code shard-count}).
         *
         * @param count the value
         * @return this builder
         */
        public Builder count(int count) {
            this.count = count;
            return this;
        }

        /**
         * Sets the shard key column ({@code shard-key}).
         *
         * @param keyColumn the value
         * @return this builder
         */
        public Builder keyColumn(String keyColumn) {
            this.keyColumn = keyColumn;
            return this;
        }

        /**
         * Sets the hash algorithm ({@code shard-algorithm}).
         *
         * @param algorithm the value
         * @return this builder
         */
        public Builder algorithm(ShardAlgorithm algorithm) {
            this.algorithm = algorithm;
            return this;
        }

        /**
         * Sets the ranges, empty unless given ({@code shard-ranges}).
         *
         * @param ranges the value
         * @return this builder
         */
        public Builder ranges(List<ShardRange> ranges) {
            this.ranges = ranges;
            return this;
        }

        /**
         * Sets region to host, lower-case regions ({@code shard-geo-REGION}).
         *
         * @param geoHosts the value
         * @return this builder
         */
        public Builder geoHosts(Map<String, String> geoHosts) {
            this.geoHosts = geoHosts;
            return this;
        }

        /**
         * Sets the host of other regions, or null ({@code shard-default}).
         *
         * @param defaultHost the value
         * @return this builder
         */
        public Builder defaultHost(String defaultHost) {
            this.defaultHost = defaultHost;
            return this;
        }

        /**
         * Sets the JDBC URL template ({@code shard-url-template}).
         *
         * @param urlTemplate the value
         * @return this builder
         */
        public Builder urlTemplate(String urlTemplate) {
            this.urlTemplate = urlTemplate;
            return this;
        }

        /**
         * Sets shard name to JDBC URL ({@code shard-url-NAME}).
         *
         * @param urlOverrides the value
         * @return this builder
         */
        public Builder urlOverrides(Map<String, String> urlOverrides) {
            this.urlOverrides = urlOverrides;
            return this;
        }

        /**
         * Sets {@code {host}} for hash, range and tenant shards ({@code shard-host}).
         *
         * @param host the value
         * @return this builder
         */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /**
         * Sets {@code {database}} for hash, range and geo shards, or null to derive it ({@code
         * shard-database}).
         *
         * @param database the value
         * @return this builder
         */
        public Builder database(String database) {
            this.database = database;
            return this;
        }

        /**
         * Sets the database for CREATE DATABASE ({@code shard-admin-database}).
         *
         * @param adminDatabase the value
         * @return this builder
         */
        public Builder adminDatabase(String adminDatabase) {
            this.adminDatabase = adminDatabase;
            return this;
        }

        /**
         * Sets the most connections of one pool ({@code shard-pool-size}).
         *
         * @param poolSize the value
         * @return this builder
         */
        public Builder poolSize(int poolSize) {
            this.poolSize = poolSize;
            return this;
        }

        /**
         * Sets the most connections of all pools ({@code shard-connection-budget}).
         *
         * @param connectionBudget the value
         * @return this builder
         */
        public Builder connectionBudget(int connectionBudget) {
            this.connectionBudget = connectionBudget;
            return this;
        }

        /**
         * Sets the time to wait for a connection ({@code shard-connect-timeout}).
         *
         * @param connectTimeout the value
         * @return this builder
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /**
         * Sets the time a read may block ({@code shard-socket-timeout}).
         *
         * @param socketTimeout the value
         * @return this builder
         */
        public Builder socketTimeout(Duration socketTimeout) {
            this.socketTimeout = socketTimeout;
            return this;
        }

        /**
         * Sets the time an evicted pool waits for its borrowers ({@code shard-drain-timeout}).
         *
         * @param drainTimeout the value
         * @return this builder
         */
        public Builder drainTimeout(Duration drainTimeout) {
            this.drainTimeout = drainTimeout;
            return this;
        }

        /**
         * Sets the shard-to-mean ratio above which a shard is a hotspot ({@code shard-hotspot-ratio}).
         *
         * @param hotspotRatio the value
         * @return this builder
         */
        public Builder hotspotRatio(double hotspotRatio) {
            this.hotspotRatio = hotspotRatio;
            return this;
        }

        /**
         * Builds the settings.
         *
         * @return the settings
         */
        public ShardSettings build() {
            return new ShardSettings(this);
        }
    }
}
