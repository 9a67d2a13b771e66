package io.generalbots.balance;

/**
 * One balancer's choosing state of a policy: picks an available upstream for a request. Each
 * {@link LoadBalancer} gets its own selector from its {@link LoadBalancingPolicy} (so a round-robin
 * counter is per balancer). Called on every pick, concurrently: keep it allocation-free and
 * thread-safe.
 */
@FunctionalInterface
public interface UpstreamSelector {

    /**
     * Chooses an available upstream.
     *
     * @param pool     every upstream of the balancer, in the order they were given; check
     *                 {@link Upstream#isAvailable(long)} (healthy, not failed recently, not removed)
     * @param request  the request (client IP, cookie, key)
     * @param nowNanos the balancer's ticker reading, for {@link Upstream#isAvailable(long)} and
     *                 {@link Upstream#latencyEstimateNanos(long)}
     * @return an available upstream, or null if none is
     */
    Upstream select(Upstream[] pool, PickRequest request, long nowNanos);

    /**
     * The sticky-session cookie value naming the upstream, for policies that set one; null
     * otherwise (the default).
     *
     * @param upstream the chosen upstream
     * @return the cookie value, or null
     */
    default String cookieValue(Upstream upstream) {
        return null;
    }
}
