package io.generalbots.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigException;
import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.scaling.testing.ManualTicker;

/** A balancing policy of one's own, plugged in by name from config.csv through ServiceLoader. */
class BalancingPolicyPluginTest {

    static final HostAndPort A = HostAndPort.parse("10.0.0.1:8080", 0);
    static final HostAndPort B = HostAndPort.parse("10.0.0.2:8080", 0);
    static final HostAndPort C = HostAndPort.parse("10.0.0.3:8080", 0);

    @Test
    void aPolicyNamedInConfigCsvIsFoundAndEveryPickGoesThroughItsSelector() {
        BalancerSettings settings = BalancerSettings.from(BotConfig.parse("config.csv", "scale-lb-policy,last-available\n"));
        assertThat(settings.policy().toString()).isEqualTo("last-available");
        LoadBalancer lb = LoadBalancer.custom("plugin").config(LoadBalancerConfig.from(settings).build())
                .ticker(new ManualTicker()).upstreams(List.of(A, B, C)).build();
        UpstreamSelector selector = LastAvailablePolicy.lastSelector;
        for (int i = 0; i < 3; i++) {
            try (Lease lease = lb.pick()) {
                assertThat(lease.address()).isEqualTo(C);
            }
        }
        // the balancer hands the selector its whole pool, in order, and asks once per pick
        verify(selector, times(3)).select(org.mockito.ArgumentMatchers.argThat(pool -> pool.length == 3
                && pool[0].address().equals(A) && pool[2].address().equals(C)), any(), anyLong());
    }

    @Test
    void builtInNamesStillWinAndAnUnknownNameListsWhatIsThere() {
        assertThat(LoadBalancingPolicy.named("ROUND_ROBIN").toString()).isEqualTo("round_robin");
        assertThat(LoadBalancingPolicy.named("random_choose 3").toString()).isEqualTo("random_choose 3");
        assertThatThrownBy(() -> BalancerSettings.from(BotConfig.parse("config.csv", "bot-name,x\nscale-lb-policy,fastest\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config.csv:2: scale-lb-policy must be one of random, round_robin, least_conn, first, ip_hash, "
                        + "peak_ewma, random_choose N or a BalancingPolicyProvider: last-available, but was \"fastest\"");
    }

    @Test
    void theDefaultIsCaddysRandom() {
        assertThat(BalancerSettings.from(BotConfig.parse("config.csv", "")).policy().toString()).isEqualTo("random");
    }
}
