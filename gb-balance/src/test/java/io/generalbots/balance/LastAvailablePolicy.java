package io.generalbots.balance;

import static org.mockito.Mockito.mock;

/**
 * A policy of a test's own, found by ServiceLoader: the last available upstream. Its selector is
 * a Mockito spy, so that tests verify how the balancer calls a plug-in.
 */
public final class LastAvailablePolicy implements BalancingPolicyProvider {

    /** The selector handed to the last balancer built, for verification. */
    static volatile UpstreamSelector lastSelector = mock(UpstreamSelector.class);

    @Override
    public String name() {
        return "last-available";
    }

    @Override
    public UpstreamSelector newSelector() {
        UpstreamSelector real = (pool, request, now) -> {
            for (int i = pool.length - 1; i >= 0; i--) {
                if (pool[i].isAvailable(now)) {
                    return pool[i];
                }
            }
            return null;
        };
        lastSelector = org.mockito.Mockito.spy(UpstreamSelector.class);
        org.mockito.Mockito.doAnswer(inv -> real.select(inv.getArgument(0), inv.getArgument(1), inv.getArgument(2)))
                .when(lastSelector).select(org.mockito.ArgumentMatchers.any(), org.mockito.ArgumentMatchers.any(),
                        org.mockito.ArgumentMatchers.anyLong());
        return lastSelector;
    }
}
