/**
 * Client-side load balancing with Caddy's semantics: {@link io.generalbots.balance.LoadBalancer}
 * over a live set of upstreams, the {@link io.generalbots.balance.LoadBalancingPolicy
 * policies} ({@code round_robin}, {@code first}, {@code least_conn}, {@code ip_hash}, {@code cookie},
 * {@code random}, {@code random_choose N}, and a latency-aware peak-EWMA power of two choices),
 * active and passive upstream health, and retries within {@code lb_try_duration}. Also the
 * {@code scale-proxy-*} keys ({@link io.generalbots.balance.ProxySettings}). See
 * {@code BALANCING.md} in the module for the design choices.
 */
package io.generalbots.balance;
