package io.generalbots.ratelimit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigReader;
import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.scaling.health.HealthSettings;

/**
 * The rate-limit settings of {@code config.csv} ({@code rate-limit-*}), with the seed chapter's
 * defaults; see the module README for the table of keys.
 *
 * <p>An immutable value: {@link #from(BotConfig)} reads a file, {@link #custom()} and
 * {@link #toBuilder()} make settings in code (adding a key adds an accessor and a builder method,
 * so callers are not broken).
 */
public final class RateLimitSettings {

    /** The prefix of the endpoint key family. */
    public static final String API_PREFIX = "rate-limit-api-";

    private final boolean enabled;
    private final long requests;
    private final Duration window;
    private final long burst;
    private final ClientKeySource by;
    private final Map<String, Long> endpoints;
    private final long maxKeys;
    private final List<String> trustedProxies;
    private final ClientIpHeader clientIpHeader;
    private final int ipv6Prefix;
    private final List<HostAndPort> redisNodes;
    private final boolean redisCluster;
    private final Duration redisTimeout;
    private final FailureMode failureMode;
    private final int breakerThreshold;
    private final Duration breakerWait;
    private final Set<String> exemptPaths;
    private final Optional<String> backend;

    private RateLimitSettings(Builder b) {
        this.enabled = b.enabled;
        this.requests = b.requests;
        this.window = Objects.requireNonNull(b.window, "window");
        this.burst = b.burst;
        this.by = Objects.requireNonNull(b.by, "by");
        this.endpoints = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.endpoints));
        this.maxKeys = b.maxKeys;
        this.trustedProxies = List.copyOf(b.trustedProxies);
        this.clientIpHeader = Objects.requireNonNull(b.clientIpHeader, "clientIpHeader");
        this.ipv6Prefix = b.ipv6Prefix;
        this.redisNodes = List.copyOf(b.redisNodes);
        this.redisCluster = b.redisCluster;
        this.redisTimeout = Objects.requireNonNull(b.redisTimeout, "redisTimeout");
        this.failureMode = Objects.requireNonNull(b.failureMode, "failureMode");
        this.breakerThreshold = b.breakerThreshold;
        this.breakerWait = Objects.requireNonNull(b.breakerWait, "breakerWait");
        this.exemptPaths = Set.copyOf(b.exemptPaths);
        this.backend = Objects.requireNonNull(b.backend, "backend");
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
     * Whether to limit at all ({@code rate-limit-enabled}).
     *
     * @return whether to limit at all ({@code rate-limit-enabled})
     */
    public boolean enabled() {
        return enabled;
    }

    /**
     * R, requests per window over the long run ({@code rate-limit-requests}).
     *
     * @return R, requests per window over the long run ({@code rate-limit-requests})
     */
    public long requests() {
        return requests;
    }

    /**
     * W, the window ({@code rate-limit-window}).
     *
     * @return W, the window ({@code rate-limit-window})
     */
    public Duration window() {
        return window;
    }

    /**
     * B, so that the bucket holds R+B: at most R+B at once, 2R+B−1 within one window; see {@link
     * RateLimitConfig} ({@code rate-limit-burst}).
     *
     * @return B, so that the bucket holds R+B: at most R+B at once, 2R+B−1 within one window; see {@link
     *         RateLimitConfig} ({@code rate-limit-burst})
     */
    public long burst() {
        return burst;
    }

    /**
     * What identifies a client ({@code rate-limit-by}).
     *
     * @return what identifies a client ({@code rate-limit-by})
     */
    public ClientKeySource by() {
        return by;
    }

    /**
     * N per window for {@code /api/NAME}, in file order ({@code rate-limit-api-NAME}).
     *
     * @return N per window for {@code /api/NAME}, in file order ({@code rate-limit-api-NAME})
     */
    public Map<String, Long> endpoints() {
        return endpoints;
    }

    /**
     * The clients tracked at once by the local backend ({@code rate-limit-max-keys}).
     *
     * @return the clients tracked at once by the local backend ({@code rate-limit-max-keys})
     */
    public long maxKeys() {
        return maxKeys;
    }

    /**
     * The peers whose forwarding header counts ({@code rate-limit-trusted-proxies}).
     *
     * @return the peers whose forwarding header counts ({@code rate-limit-trusted-proxies})
     */
    public List<String> trustedProxies() {
        return trustedProxies;
    }

    /**
     * The one forwarding header read behind trusted proxies ({@code rate-limit-client-ip-header}).
     *
     * @return the one forwarding header read behind trusted proxies ({@code rate-limit-client-ip-header})
     */
    public ClientIpHeader clientIpHeader() {
        return clientIpHeader;
    }

    /**
     * The prefix length IPv6 clients are grouped by ({@code rate-limit-ipv6-prefix}).
     *
     * @return the prefix length IPv6 clients are grouped by ({@code rate-limit-ipv6-prefix})
     */
    public int ipv6Prefix() {
        return ipv6Prefix;
    }

    /**
     * The Redis nodes, empty for the local backend ({@code rate-limit-redis}).
     *
     * @return the Redis nodes, empty for the local backend ({@code rate-limit-redis})
     */
    public List<HostAndPort> redisNodes() {
        return redisNodes;
    }

    /**
     * Whether the nodes are a Redis Cluster ({@code rate-limit-redis-cluster}).
     *
     * @return whether the nodes are a Redis Cluster ({@code rate-limit-redis-cluster})
     */
    public boolean redisCluster() {
        return redisCluster;
    }

    /**
     * The time budget of one decision on Redis ({@code rate-limit-redis-timeout}).
     *
     * @return the time budget of one decision on Redis ({@code rate-limit-redis-timeout})
     */
    public Duration redisTimeout() {
        return redisTimeout;
    }

    /**
     * What to answer while Redis fails ({@code rate-limit-failure-mode}).
     *
     * @return what to answer while Redis fails ({@code rate-limit-failure-mode})
     */
    public FailureMode failureMode() {
        return failureMode;
    }

    /**
     * The consecutive Redis failures that open the breaker ({@code rate-limit-breaker-threshold}).
     *
     * @return the consecutive Redis failures that open the breaker ({@code rate-limit-breaker-threshold})
     */
    public int breakerThreshold() {
        return breakerThreshold;
    }

    /**
     * How long the breaker stays open before a trial ({@code rate-limit-breaker-wait}).
     *
     * @return how long the breaker stays open before a trial ({@code rate-limit-breaker-wait})
     */
    public Duration breakerWait() {
        return breakerWait;
    }

    /**
     * The paths never limited: {@link RateLimitGate#HEALTH_PATHS} and {@code health-endpoint} with its
     * {@code /ready} and {@code /live}.
     *
     * @return the paths never limited: {@link RateLimitGate#HEALTH_PATHS} and {@code health-endpoint} with
     *         its {@code /ready} and {@code /live}
     */
    public Set<String> exemptPaths() {
        return exemptPaths;
    }

    /**
     * The backend {@code rate-limit-backend} names: {@code local}, {@code redis}, or the name of a
     * {@link RateLimiterProvider}; empty when unset, which means {@code redis} when
     * {@link #redisNodes()} is set and {@code local} otherwise (see {@link RateLimiters#of}).
     *
     * @return the backend's name, or empty
     */
    public Optional<String> backend() {
        return backend;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RateLimitSettings that)) {
            return false;
        }
        return enabled == that.enabled
                && requests == that.requests
                && window.equals(that.window)
                && burst == that.burst
                && by.equals(that.by)
                && endpoints.equals(that.endpoints)
                && maxKeys == that.maxKeys
                && trustedProxies.equals(that.trustedProxies)
                && clientIpHeader.equals(that.clientIpHeader)
                && ipv6Prefix == that.ipv6Prefix
                && redisNodes.equals(that.redisNodes)
                && redisCluster == that.redisCluster
                && redisTimeout.equals(that.redisTimeout)
                && failureMode.equals(that.failureMode)
                && breakerThreshold == that.breakerThreshold
                && breakerWait.equals(that.breakerWait)
                && exemptPaths.equals(that.exemptPaths)
                && backend.equals(that.backend);
    }

    @Override
    public int hashCode() {
        return Objects.hash(enabled, requests, window, burst, by, endpoints, maxKeys, trustedProxies, clientIpHeader,
                ipv6Prefix, redisNodes, redisCluster, redisTimeout, failureMode, breakerThreshold, breakerWait,
                exemptPaths, backend);
    }

    /** The record-style text of the settings, e.g. {@code RateLimitSettings[enabled=..., ...]}. */
    @Override
    public String toString() {
        return "RateLimitSettings[enabled=" + enabled + ", requests=" + requests + ", window=" + window
                + ", burst=" + burst + ", by=" + by + ", endpoints=" + endpoints + ", maxKeys=" + maxKeys
                + ", trustedProxies=" + trustedProxies + ", clientIpHeader=" + clientIpHeader
                + ", ipv6Prefix=" + ipv6Prefix + ", redisNodes=" + redisNodes + ", redisCluster=" + redisCluster
                + ", redisTimeout=" + redisTimeout + ", failureMode=" + failureMode
                + ", breakerThreshold=" + breakerThreshold + ", breakerWait=" + breakerWait
                + ", exemptPaths=" + exemptPaths + ", backend=" + backend + "]";
    }


    /**
     * The settings of a file, or every problem of its {@code rate-limit-*} keys at once.
     *
     * @param config the configuration
     * @return the settings
     * @throws io.generalbots.scaling.config.ConfigException if a value is bad
     */
    public static RateLimitSettings from(BotConfig config) {
        ConfigReader reader = config.reader();
        RateLimitSettings settings = read(reader);
        reader.throwIfInvalid();
        return settings;
    }

    /**
     * Reads the settings, recording problems in the reader.
     *
     * @param r the reader
     * @return the settings (defaults in place of bad values)
     */
    public static RateLimitSettings read(ConfigReader r) {
        boolean enabled = r.getBoolean("rate-limit-enabled");
        long requests = r.getLong("rate-limit-requests", 1, RateLimitConfig.MAX_REQUESTS);
        Duration window = r.getDuration("rate-limit-window", Duration.ofMillis(1), RateLimitConfig.MAX_WINDOW);
        long burst = r.getLong("rate-limit-burst", 0, RateLimitConfig.MAX_REQUESTS);
        ClientKeySource by = r.parse("rate-limit-by", "one of ip, user, bot, header:NAME", ClientKeySource::parse,
                ClientKeySource.IP);
        Map<String, Long> endpoints = new LinkedHashMap<>();
        for (String key : r.keysStartingWith(API_PREFIX)) {
            String name = key.substring(API_PREFIX.length());
            long n = r.getLong(key, 1, RateLimitConfig.MAX_REQUESTS);
            endpoints.put(name, n);
        }
        long windowMicros = window.toNanos() / 1000;
        if (!r.hasErrors() && (requests + burst) > (RateLimitConfig.MAX_CAPACITY_MICROS - 1) / windowMicros) {
            r.reject("rate-limit-requests", "such that (rate-limit-requests + rate-limit-burst) × rate-limit-window"
                    + " stays below 2^53 microseconds");
        }
        long maxKeys = r.getLong("rate-limit-max-keys", 1, 1_000_000_000);
        List<String> proxies = r.parse("rate-limit-trusted-proxies", "a comma-separated list of IP addresses or CIDR"
                + " ranges", v -> {
                    List<String> items = v.isBlank() ? List.of() : List.of(v.split(",", -1)).stream()
                            .map(String::trim).toList();
                    for (String item : items) {
                        IpRange.parse(item);
                    }
                    return items;
                }, List.of());
        ClientIpHeader clientIpHeader = r.parse("rate-limit-client-ip-header",
                "one of x-forwarded-for, forwarded, x-real-ip", ClientIpHeader::parse, ClientIpHeader.X_FORWARDED_FOR);
        int ipv6Prefix = r.getInt("rate-limit-ipv6-prefix", 1, 128);
        List<HostAndPort> redis = r.isSet("rate-limit-redis") ? r.getHostPorts("rate-limit-redis", 6379) : List.of();
        boolean cluster = r.getBoolean("rate-limit-redis-cluster");
        Duration timeout = r.getDuration("rate-limit-redis-timeout", Duration.ofMillis(1), Duration.ofSeconds(10));
        FailureMode mode = r.getEnum("rate-limit-failure-mode", FailureMode.class);
        int threshold = r.getInt("rate-limit-breaker-threshold", 1, 1000);
        Duration wait = r.getDuration("rate-limit-breaker-wait", Duration.ofMillis(1), Duration.ofHours(1));
        Set<String> exempt = RateLimitGate.healthPaths(HealthSettings.readEndpoint(r));
        String backend = null;
        if (r.isSet("rate-limit-backend")) {
            String value = r.find("rate-limit-backend").orElse("");
            String lower = value.toLowerCase(Locale.ROOT);
            if (lower.equals("local") || lower.equals("redis")) {
                backend = lower;
            } else {
                backend = value.isEmpty() ? null
                        : RateLimiters.provider(value).map(RateLimiterProvider::name).orElse(null);
                if (backend == null) {
                    r.reject("rate-limit-backend", RateLimiters.backendExpectation(RateLimiters.providerNames()));
                }
            }
            if ("redis".equals(backend) && !r.isSet("rate-limit-redis")) {
                r.error("rate-limit-backend", "rate-limit-backend redis needs rate-limit-redis (HOST:PORT,...), "
                        + "but it is not set");
            } else if ("local".equals(backend) && r.isSet("rate-limit-redis")) {
                r.warn("rate-limit-redis", "rate-limit-redis has no effect with rate-limit-backend local");
            }
        }
        return new Builder().enabled(enabled).requests(requests).window(window).burst(burst).by(by).endpoints(endpoints)
                .maxKeys(maxKeys).trustedProxies(proxies).clientIpHeader(clientIpHeader).ipv6Prefix(ipv6Prefix)
                .redisNodes(redis).redisCluster(cluster).redisTimeout(timeout).failureMode(mode)
                .breakerThreshold(threshold).breakerWait(wait).exemptPaths(exempt)
                .backend(backend).build();
    }

    /**
     * The seed's defaults.
     *
     * @return the default settings
     */
    public static RateLimitSettings ofDefaults() {
        return from(BotConfig.ofDefaults());
    }

    /**
     * The limits as a {@link RateLimitConfig}.
     *
     * @return the config
     */
    public RateLimitConfig toConfig() {
        RateLimitConfig.Builder b = RateLimitConfig.custom().requests(requests).window(window).burst(burst);
        endpoints.forEach(b::endpoint);
        return b.build();
    }

    /** Builds {@link RateLimitSettings}: start from {@link #custom()} or {@link #toBuilder()}. */
    public static final class Builder {
        private boolean enabled;
        private long requests;
        private Duration window;
        private long burst;
        private ClientKeySource by;
        private Map<String, Long> endpoints;
        private long maxKeys;
        private List<String> trustedProxies;
        private ClientIpHeader clientIpHeader;
        private int ipv6Prefix;
        private List<HostAndPort> redisNodes;
        private boolean redisCluster;
        private Duration redisTimeout;
        private FailureMode failureMode;
        private int breakerThreshold;
        private Duration breakerWait;
        private Set<String> exemptPaths;
        private Optional<String> backend = Optional.empty();

        private Builder() {
        }

        private Builder(RateLimitSettings s) {
            this.enabled = s.enabled;
            this.requests = s.requests;
            this.window = s.window;
            this.burst = s.burst;
            this.by = s.by;
            this.endpoints = s.endpoints;
            this.maxKeys = s.maxKeys;
            this.trustedProxies = s.trustedProxies;
            this.clientIpHeader = s.clientIpHeader;
            this.ipv6Prefix = s.ipv6Prefix;
            this.redisNodes = s.redisNodes;
            this.redisCluster = s.redisCluster;
            this.redisTimeout = s.redisTimeout;
            this.failureMode = s.failureMode;
            this.breakerThreshold = s.breakerThreshold;
            this.breakerWait = s.breakerWait;
            this.exemptPaths = s.exemptPaths;
            this.backend = s.backend;
        }

        /**
         * Sets whether to limit at all ({@code rate-limit-enabled}).
         *
         * @param enabled the value
         * @return this builder
         */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /**
         * Sets R, requests per window over the long run ({@code rate-limit-requests}).
         *
         * @param requests the value
         * @return this builder
         */
        public Builder requests(long requests) {
            this.requests = requests;
            return this;
        }

        /**
         * Sets W, the window ({@code rate-limit-window}).
         *
         * @param window the value
         * @return this builder
         */
        public Builder window(Duration window) {
            this.window = window;
            return this;
        }

        /**
         * Sets B, so that the bucket holds R+B: at most R+B at once, 2R+B−1 within one window; see {@link
         * RateLimitConfig} ({@code rate-limit-burst}).
         *
         * @param burst the value
         * @return this builder
         */
        public Builder burst(long burst) {
            this.burst = burst;
            return this;
        }

        /**
         * Sets what identifies a client ({@code rate-limit-by}).
         *
         * @param by the value
         * @return this builder
         */
        public Builder by(ClientKeySource by) {
            this.by = by;
            return this;
        }

        /**
         * Sets N per window for {@code /api/NAME}, in file order ({@code rate-limit-api-NAME}).
         *
         * @param endpoints the value
         * @return this builder
         */
        public Builder endpoints(Map<String, Long> endpoints) {
            this.endpoints = endpoints;
            return this;
        }

        /**
         * Sets the clients tracked at once by the local backend ({@code rate-limit-max-keys}).
         *
         * @param maxKeys the value
         * @return this builder
         */
        public Builder maxKeys(long maxKeys) {
            this.maxKeys = maxKeys;
            return this;
        }

        /**
         * Sets the peers whose forwarding header counts ({@code rate-limit-trusted-proxies}).
         *
         * @param trustedProxies the value
         * @return this builder
         */
        public Builder trustedProxies(List<String> trustedProxies) {
            this.trustedProxies = trustedProxies;
            return this;
        }

        /**
         * Sets the one forwarding header read behind trusted proxies ({@code rate-limit-client-ip-header}).
         *
         * @param clientIpHeader the value
         * @return this builder
         */
        public Builder clientIpHeader(ClientIpHeader clientIpHeader) {
            this.clientIpHeader = clientIpHeader;
            return this;
        }

        /**
         * Sets the prefix length IPv6 clients are grouped by ({@code rate-limit-ipv6-prefix}).
         *
         * @param ipv6Prefix the value
         * @return this builder
         */
        public Builder ipv6Prefix(int ipv6Prefix) {
            this.ipv6Prefix = ipv6Prefix;
            return this;
        }

        /**
         * Sets the Redis nodes, empty for the local backend ({@code rate-limit-redis}).
         *
         * @param redisNodes the value
         * @return this builder
         */
        public Builder redisNodes(List<HostAndPort> redisNodes) {
            this.redisNodes = redisNodes;
            return this;
        }

        /**
         * Sets whether the nodes are a Redis Cluster ({@code rate-limit-redis-cluster}).
         *
         * @param redisCluster the value
         * @return this builder
         */
        public Builder redisCluster(boolean redisCluster) {
            this.redisCluster = redisCluster;
            return this;
        }

        /**
         * Sets the time budget of one decision on Redis ({@code rate-limit-redis-timeout}).
         *
         * @param redisTimeout the value
         * @return this builder
         */
        public Builder redisTimeout(Duration redisTimeout) {
            this.redisTimeout = redisTimeout;
            return this;
        }

        /**
         * Sets what to answer while Redis fails ({@code rate-limit-failure-mode}).
         *
         * @param failureMode the value
         * @return this builder
         */
        public Builder failureMode(FailureMode failureMode) {
            this.failureMode = failureMode;
            return this;
        }

        /**
         * Sets the consecutive Redis failures that open the breaker ({@code rate-limit-breaker-threshold}).
         *
         * @param breakerThreshold the value
         * @return this builder
         */
        public Builder breakerThreshold(int breakerThreshold) {
            this.breakerThreshold = breakerThreshold;
            return this;
        }

        /**
         * Sets how long the breaker stays open before a trial ({@code rate-limit-breaker-wait}).
         *
         * @param breakerWait the value
         * @return this builder
         */
        public Builder breakerWait(Duration breakerWait) {
            this.breakerWait = breakerWait;
            return this;
        }

        /**
         * Sets the paths never limited: {@link RateLimitGate#HEALTH_PATHS} and {@code health-endpoint} with
         * its {@code /ready} and {@code /live}.
         *
         * @param exemptPaths the value
         * @return this builder
         */
        public Builder exemptPaths(Set<String> exemptPaths) {
            this.exemptPaths = exemptPaths;
            return this;
        }

        /**
         * Sets the backend by the name {@code rate-limit-backend} takes: {@code local}, {@code redis}
         * or a {@link RateLimiterProvider}'s name; null for the default (Redis when
         * {@link #redisNodes(List)} is set, else local).
         *
         * @param backend the name, or null
         * @return this builder
         */
        public Builder backend(String backend) {
            this.backend = Optional.ofNullable(backend);
            return this;
        }

        /**
         * Builds the settings.
         *
         * @return the settings
         */
        public RateLimitSettings build() {
            return new RateLimitSettings(this);
        }
    }
}
