package io.generalbots.ratelimit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigReader;
import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.scaling.health.HealthSettings;

/**
 * The rate-limit settings of {@code config.csv} ({@code rate-limit-*}), with the seed chapter's
 * defaults; see the module README for the table of keys.
 *
 * @param enabled          {@code rate-limit-enabled}: limit at all
 * @param requests         {@code rate-limit-requests}: R per window over the long run
 * @param window           {@code rate-limit-window}: W
 * @param burst            {@code rate-limit-burst}: B, so that the bucket holds R+B (at most R+B at once,
 *                         2R+B−1 within one window; see {@link RateLimitConfig})
 * @param by               {@code rate-limit-by}: what identifies a client
 * @param endpoints        {@code rate-limit-api-NAME}: N per window for {@code /api/NAME}, in file order
 * @param maxKeys          {@code rate-limit-max-keys}: clients tracked at once by the local backend
 * @param trustedProxies   {@code rate-limit-trusted-proxies}: peers whose forwarding header counts
 * @param clientIpHeader   {@code rate-limit-client-ip-header}: the one forwarding header read behind them
 * @param ipv6Prefix       {@code rate-limit-ipv6-prefix}: IPv6 clients are grouped by this prefix length
 * @param redisNodes       {@code rate-limit-redis}: Redis nodes; empty for the local backend
 * @param redisCluster     {@code rate-limit-redis-cluster}: the nodes are a Redis Cluster
 * @param redisTimeout     {@code rate-limit-redis-timeout}: the time budget of one decision on Redis
 * @param failureMode      {@code rate-limit-failure-mode}: what to answer while Redis fails
 * @param breakerThreshold {@code rate-limit-breaker-threshold}: consecutive Redis failures that open the breaker
 * @param breakerWait      {@code rate-limit-breaker-wait}: how long the breaker stays open before a trial
 * @param exemptPaths      paths never limited: {@link RateLimitGate#HEALTH_PATHS} and {@code health-endpoint}
 *                         with its {@code /ready} and {@code /live}
 */
public record RateLimitSettings(boolean enabled, long requests, Duration window, long burst, ClientKeySource by,
                                Map<String, Long> endpoints, long maxKeys, List<String> trustedProxies,
                                ClientIpHeader clientIpHeader, int ipv6Prefix, List<HostAndPort> redisNodes,
                                boolean redisCluster, Duration redisTimeout, FailureMode failureMode,
                                int breakerThreshold, Duration breakerWait, Set<String> exemptPaths) {

    /** The prefix of the endpoint key family. */
    public static final String API_PREFIX = "rate-limit-api-";

    /**
     * Creates settings; values are assumed valid (use {@link #from(BotConfig)} for a file).
     *
     * @param enabled          limit at all
     * @param requests         R
     * @param window           W
     * @param burst            B
     * @param by               the client key source
     * @param endpoints        endpoint limits
     * @param maxKeys          keys tracked locally
     * @param trustedProxies   trusted proxies
     * @param clientIpHeader   the forwarding header read behind trusted proxies
     * @param ipv6Prefix       IPv6 grouping prefix
     * @param redisNodes       Redis nodes
     * @param redisCluster     whether a cluster
     * @param redisTimeout     budget per decision
     * @param failureMode      failure mode
     * @param breakerThreshold failures to open
     * @param breakerWait      open time
     * @param exemptPaths      paths never limited
     */
    public RateLimitSettings {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(by, "by");
        endpoints = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(endpoints));
        trustedProxies = List.copyOf(trustedProxies);
        Objects.requireNonNull(clientIpHeader, "clientIpHeader");
        exemptPaths = Set.copyOf(exemptPaths);
        redisNodes = List.copyOf(redisNodes);
        Objects.requireNonNull(redisTimeout, "redisTimeout");
        Objects.requireNonNull(failureMode, "failureMode");
        Objects.requireNonNull(breakerWait, "breakerWait");
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
        return new RateLimitSettings(enabled, requests, window, burst, by, endpoints, maxKeys, proxies, clientIpHeader,
                ipv6Prefix, redis, cluster, timeout, mode, threshold, wait, exempt);
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
}
