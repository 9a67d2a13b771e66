package io.generalbots.ratelimit;

import java.util.Collection;
import java.util.List;

import io.generalbots.scaling.config.ConfigKey;
import io.generalbots.scaling.config.ConfigKeyProvider;
import io.generalbots.scaling.config.ConfigReader;

/**
 * The {@code rate-limit-*} keys, with the seed chapter's defaults and the keys gb-ratelimit adds.
 * Found by {@link java.util.ServiceLoader}.
 */
public final class RateLimitConfigKeys implements ConfigKeyProvider {

    /** Creates the provider (ServiceLoader needs a public constructor). */
    public RateLimitConfigKeys() {
    }

    @Override
    public Collection<ConfigKey> keys() {
        return List.of(
                ConfigKey.of("rate-limit-enabled", "boolean", "true", "Limit requests per client"),
                ConfigKey.of("rate-limit-requests", "integer 1..100000", "100",
                        "R: requests per window per client over the long run"),
                ConfigKey.of("rate-limit-window", "duration", "60", "W: the window, seconds"),
                ConfigKey.of("rate-limit-burst", "integer 0..100000", "20",
                        "B: the bucket holds R+B, so a client may make R+B requests at once and at most 2R+B-1"
                        + " within one window (defaults: 120 at once, 219 in a minute)"),
                ConfigKey.of("rate-limit-by", "ip|user|bot|header:NAME", "ip", "What identifies a client"),
                ConfigKey.optional("rate-limit-api-*", "integer 1..100000",
                        "N per window per client for /api/NAME and below over the long run (at most N at once,"
                        + " 2N-1 within one window), on top of the global limit"),
                ConfigKey.of("rate-limit-max-keys", "integer 1..", "100000",
                        "Clients tracked at once by the local backend (the rest are evicted)"),
                ConfigKey.optional("rate-limit-trusted-proxies", "IP or CIDR list",
                        "Peers whose rate-limit-client-ip-header is believed (default none)"),
                ConfigKey.of("rate-limit-client-ip-header", "x-forwarded-for|forwarded|x-real-ip", "x-forwarded-for",
                        "The one forwarding header read behind a trusted proxy; pick the one your proxy overwrites"
                        + " (the rendered Caddyfile overwrites X-Forwarded-For and X-Real-IP, and deletes Forwarded)"),
                ConfigKey.of("rate-limit-ipv6-prefix", "integer 1..128", "64",
                        "IPv6 clients are grouped by this prefix length"),
                ConfigKey.optional("rate-limit-redis", "HOST:PORT list",
                        "Redis nodes shared by all instances; unset: each instance limits locally"),
                ConfigKey.optional("rate-limit-backend", "local|redis|NAME",
                        "Who decides: local, redis, or a RateLimiterProvider on the class path; "
                                + "unset: redis when rate-limit-redis is set, else local"),
                ConfigKey.of("rate-limit-redis-cluster", "boolean", "false", "rate-limit-redis is a Redis Cluster"),
                ConfigKey.of("rate-limit-redis-timeout", "duration", "50ms",
                        "Time budget of one decision on Redis before the failure mode answers"),
                ConfigKey.of("rate-limit-failure-mode", "local|open|closed", "local",
                        "What answers while Redis is slow or down"),
                ConfigKey.of("rate-limit-breaker-threshold", "integer 1..1000", "5",
                        "Consecutive Redis failures that open the breaker"),
                ConfigKey.of("rate-limit-breaker-wait", "duration", "10",
                        "Seconds the breaker stays open before trying Redis again"));
    }

    @Override
    public void validate(ConfigReader reader) {
        RateLimitSettings.read(reader);
    }
}
