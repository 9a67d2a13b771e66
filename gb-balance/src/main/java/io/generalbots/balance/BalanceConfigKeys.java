package io.generalbots.balance;

import java.util.Collection;
import java.util.List;

import io.generalbots.scaling.config.ConfigKey;
import io.generalbots.scaling.config.ConfigKeyProvider;
import io.generalbots.scaling.config.ConfigReader;

/**
 * The {@code config.csv} keys of the proxy and load balancing ({@code scale-proxy-*}); see
 * {@link ProxySettings}. Found by {@link java.util.ServiceLoader}.
 */
public final class BalanceConfigKeys implements ConfigKeyProvider {

    /** Creates the provider (ServiceLoader needs a public constructor). */
    public BalanceConfigKeys() {
    }

    @Override
    public Collection<ConfigKey> keys() {
        return List.of(
                ConfigKey.of("scale-proxy-site", "Caddy site address", "bot.example.com",
                        "The address Caddy serves the bot on (domain, :PORT or http://HOST:PORT)"),
                ConfigKey.optional("scale-proxy-bind", "IP address",
                        "The interface Caddy binds the site to (default: all)"),
                ConfigKey.of("scale-proxy-admin", "loopback HOST:PORT or off", "localhost:2019",
                        "Caddy's admin API, used to change upstreams live; off disables live updates"),
                ConfigKey.of("scale-proxy-admin-remote", "true or false", "false",
                        "Allow a scale-proxy-admin that is not loopback (the admin API has no authentication)"),
                ConfigKey.of("scale-proxy-upstream-port", "integer 1..65535", "8080",
                        "Port of botserver instances given without one"),
                ConfigKey.of("scale-proxy-try-duration", "duration", "5",
                        "lb_try_duration: how long the proxy retries a request on other instances"),
                ConfigKey.of("scale-proxy-fail-duration", "duration", "30",
                        "fail_duration: how long a failed instance is kept out (0 = no passive checks)"),
                ConfigKey.optional("scale-proxy-cookie-secret", "text",
                        "HMAC key of the sticky-session cookie on /ws* (default empty, as Caddy)"),
                ConfigKey.of("scale-lb-policy", "policy name", "random",
                        "Policy of the in-library LoadBalancer: random, round_robin, least_conn, first, ip_hash, "
                                + "peak_ewma, random_choose N, or a BalancingPolicyProvider's name"));
    }

    @Override
    public void validate(ConfigReader reader) {
        ProxySettings.read(reader);
        BalancerSettings.read(reader);
    }
}
