package io.generalbots.spring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The Spring properties of gb-scaling, under {@code gb.scaling}. The bot's settings come either
 * from its {@code config.csv} ({@code gb.scaling.config}) or, for teams that keep settings in Spring,
 * from {@code gb.scaling.keys.*} with exactly the names of {@code config.csv}
 * ({@code gb.scaling.keys.rate-limit-requests=100}); both are read by the same reader, with the same
 * defaults and validation messages.
 *
 * <pre>
 * gb.scaling.config=classpath:/mybot.gbai/mybot.gbot/config.csv
 * </pre>
 */
@ConfigurationProperties(prefix = "gb.scaling")
public class GbScalingProperties {

    /** Whether gb-scaling configures anything at all. */
    private boolean enabled = true;

    /**
     * Location of the bot's config.csv: a Spring resource ("classpath:/config.csv",
     * "file:/srv/bot/config.csv") or a plain file path. Unset: the keys below, or the defaults.
     */
    private String config;

    /**
     * The bot's settings as Spring properties, named as in config.csv (e.g.
     * gb.scaling.keys.rate-limit-requests=100); not together with gb.scaling.config.
     */
    private Map<String, String> keys = new LinkedHashMap<>();

    /** Whether an unknown key of ours (a typo) fails startup instead of logging a warning. */
    private boolean strict;

    /** The version reported by the health endpoints; default spring.application.version, else "unknown". */
    private String version;

    /** Web integration: the rate-limit and metering filters and the health endpoints. */
    private final Web web = new Web();

    /** Credentials of the failover DataSource and the shard pools; default spring.datasource.*. */
    private final Database database = new Database();

    /**
     * Whether gb-scaling is on.
     *
     * @return true unless turned off
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Turns gb-scaling on or off.
     *
     * @param enabled true to configure
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * The config.csv location.
     *
     * @return the location, or null
     */
    public String getConfig() {
        return config;
    }

    /**
     * Sets the config.csv location.
     *
     * @param config a resource location or a path
     */
    public void setConfig(String config) {
        this.config = config;
    }

    /**
     * The settings given as Spring properties.
     *
     * @return key to value
     */
    public Map<String, String> getKeys() {
        return keys;
    }

    /**
     * Sets the settings given as Spring properties.
     *
     * @param keys key to value
     */
    public void setKeys(Map<String, String> keys) {
        this.keys = keys;
    }

    /**
     * Whether unknown keys of ours are errors.
     *
     * @return true in strict mode
     */
    public boolean isStrict() {
        return strict;
    }

    /**
     * Sets strict mode.
     *
     * @param strict true to fail on unknown keys of ours
     */
    public void setStrict(boolean strict) {
        this.strict = strict;
    }

    /**
     * The reported version.
     *
     * @return the version, or null
     */
    public String getVersion() {
        return version;
    }

    /**
     * Sets the reported version.
     *
     * @param version the version
     */
    public void setVersion(String version) {
        this.version = version;
    }

    /**
     * The web settings.
     *
     * @return the web settings
     */
    public Web getWeb() {
        return web;
    }

    /**
     * The database credentials.
     *
     * @return the database settings
     */
    public Database getDatabase() {
        return database;
    }

    /** Web integration. */
    public static class Web {

        /** Whether the rate-limit filter is installed (Spring MVC filter or WebFlux WebFilter). */
        private boolean rateLimit = true;

        /**
         * Paths never rate-limited, each with everything below it; the health endpoint
         * (health-endpoint) is always added.
         */
        private List<String> rateLimitExclude = new ArrayList<>(List.of("/actuator"));

        /** The rate-limit filter's order when it runs on its own and none is set: after Spring Security's (-100). */
        public static final int AFTER_SECURITY = -90;

        /** Whether the seed's health endpoints (health-endpoint, its /ready and /live) are served. */
        private boolean healthEndpoints = true;

        /**
         * Order of the rate-limit filter. Unset: on Spring MVC it runs inside the metering filter
         * (one filter in the container's chain) unless rate-limit-by is user or Spring Security is
         * present, and then at -90, after Spring Security's filter chain (-100), so that
         * rate-limit-by,user sees the user; on WebFlux at -90. Set: a filter of its own at this order.
         */
        private Integer rateLimitOrder;

        /**
         * Whether the rate-limit filter is installed.
         *
         * @return true to install
         */
        public boolean isRateLimit() {
            return rateLimit;
        }

        /**
         * Installs the rate-limit filter or not.
         *
         * @param rateLimit true to install
         */
        public void setRateLimit(boolean rateLimit) {
            this.rateLimit = rateLimit;
        }

        /**
         * The excluded paths.
         *
         * @return paths
         */
        public List<String> getRateLimitExclude() {
            return rateLimitExclude;
        }

        /**
         * Sets the excluded paths.
         *
         * @param rateLimitExclude paths starting with /
         */
        public void setRateLimitExclude(List<String> rateLimitExclude) {
            this.rateLimitExclude = rateLimitExclude;
        }

        /**
         * Whether the health endpoints are served.
         *
         * @return true to serve
         */
        public boolean isHealthEndpoints() {
            return healthEndpoints;
        }

        /**
         * Serves the health endpoints or not.
         *
         * @param healthEndpoints true to serve
         */
        public void setHealthEndpoints(boolean healthEndpoints) {
            this.healthEndpoints = healthEndpoints;
        }

        /**
         * The rate-limit filter's order, as set.
         *
         * @return the order, or null when unset (see the field's description)
         */
        public Integer getRateLimitOrder() {
            return rateLimitOrder;
        }

        /**
         * The order of a rate-limit filter of its own: the one set, else {@value #AFTER_SECURITY}.
         *
         * @return the order
         */
        public int rateLimitOrderOrDefault() {
            return rateLimitOrder == null ? AFTER_SECURITY : rateLimitOrder;
        }

        /**
         * Sets the rate-limit filter's order; the filter then runs on its own at this order.
         *
         * @param rateLimitOrder the order, or null for the default
         */
        public void setRateLimitOrder(Integer rateLimitOrder) {
            this.rateLimitOrder = rateLimitOrder;
        }
    }

    /** Database credentials of the failover DataSource and the shard pools. */
    public static class Database {

        /** Database name of the failover DataSource. */
        private String name = "postgres";

        /** User; default spring.datasource.username. */
        private String username;

        /** Password; default spring.datasource.password. */
        private String password;

        /**
         * The database name.
         *
         * @return the name
         */
        public String getName() {
            return name;
        }

        /**
         * Sets the database name.
         *
         * @param name the name
         */
        public void setName(String name) {
            this.name = name;
        }

        /**
         * The user.
         *
         * @return the user, or null
         */
        public String getUsername() {
            return username;
        }

        /**
         * Sets the user.
         *
         * @param username the user
         */
        public void setUsername(String username) {
            this.username = username;
        }

        /**
         * The password.
         *
         * @return the password, or null
         */
        public String getPassword() {
            return password;
        }

        /**
         * Sets the password.
         *
         * @param password the password
         */
        public void setPassword(String password) {
            this.password = password;
        }
    }
}
