package io.generalbots.balance;

/**
 * A load-balancing policy of your own, chosen by name ({@code scale-lb-policy,NAME} in
 * {@code config.csv}, or {@link LoadBalancingPolicy#named(String)}) and found with
 * {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/io.generalbots.balance.BalancingPolicyProvider}.
 */
public interface BalancingPolicyProvider {

    /**
     * The policy's name: lower case letters, digits, {@code _} and {@code -}, and not one of the
     * built-in names ({@code random}, {@code round_robin}, {@code least_conn}, {@code first},
     * {@code ip_hash}, {@code peak_ewma}).
     *
     * @return the name
     */
    String name();

    /**
     * A new selector for one balancer; called once per {@link LoadBalancer}.
     *
     * @return the selector
     */
    UpstreamSelector newSelector();
}
