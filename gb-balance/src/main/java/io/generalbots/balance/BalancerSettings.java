package io.generalbots.balance;

import java.util.Objects;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigReader;

/**
 * The {@code scale-lb-*} keys of the in-library {@link LoadBalancer} (the Caddy proxy in front has
 * its own {@code scale-proxy-*} keys, {@link ProxySettings}).
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>scale-lb-policy</td><td>random</td><td>{@code random}, {@code round_robin},
 *       {@code least_conn}, {@code first}, {@code ip_hash}, {@code peak_ewma},
 *       {@code random_choose N}, or the name of a {@link BalancingPolicyProvider} on the class path</td></tr>
 * </table>
 *
 * <p>To a balancer: {@code LoadBalancer.custom(name).config(LoadBalancerConfig.from(settings).build())}.
 *
 * @param policy the selection policy
 */
public record BalancerSettings(LoadBalancingPolicy policy) {

    /**
     * Creates settings.
     *
     * @param policy the selection policy
     */
    public BalancerSettings {
        Objects.requireNonNull(policy, "policy");
    }

    /**
     * The settings of a file.
     *
     * @param config the configuration
     * @return the settings
     * @throws io.generalbots.scaling.config.ConfigException if a value is bad
     */
    public static BalancerSettings from(BotConfig config) {
        ConfigReader r = config.reader();
        BalancerSettings s = read(r);
        r.throwIfInvalid();
        return s;
    }

    /**
     * Reads the settings, recording problems in the reader instead of throwing.
     *
     * @param r the reader
     * @return the settings (defaults in place of bad values)
     */
    public static BalancerSettings read(ConfigReader r) {
        String text = r.getString("scale-lb-policy");
        try {
            return new BalancerSettings(LoadBalancingPolicy.named(text));
        } catch (IllegalArgumentException e) {
            r.error("scale-lb-policy", e.getMessage());
            return new BalancerSettings(LoadBalancingPolicy.random());
        }
    }
}
