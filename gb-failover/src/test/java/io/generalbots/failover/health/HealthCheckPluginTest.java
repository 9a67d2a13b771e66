package io.generalbots.failover.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.health.HealthCheck;
import io.generalbots.scaling.health.HealthCheckResult;
import io.generalbots.scaling.health.HealthReport;
import io.generalbots.scaling.health.HealthStatus;
import io.generalbots.scaling.testing.ManualTicker;

/**
 * A health check of one's own: the plug-in point is the public {@link HealthCheck} interface,
 * registered by name with the aggregator; config.csv names the critical ones
 * ({@code health-critical-checks}). No ServiceLoader: a check needs what only the host has (its
 * data source, client, endpoint).
 */
class HealthCheckPluginTest {

    private HealthAggregator aggregator;

    @AfterEach
    void tearDown() {
        if (aggregator != null) {
            aggregator.close();
        }
    }

    private HealthAggregator aggregator(HealthCheck index, HealthCheck search) {
        HealthAggregatorSettings settings = HealthAggregatorSettings.from(BotConfig.parse("config.csv",
                "health-critical-checks,vector-index\nhealth-retries,2\n"));
        aggregator = HealthAggregator.custom(settings).ticker(new ManualTicker()).version("6.1.0")
                .check("vector-index", index).check("search", search).build();
        return aggregator;
    }

    @Test
    void aCheckOfOnesOwnIsRunOncePerRoundAndReportedUnderItsName() throws Exception {
        HealthCheck index = mock(HealthCheck.class);
        HealthCheck search = mock(HealthCheck.class);
        when(index.check()).thenReturn(HealthCheckResult.up());
        when(search.check()).thenReturn(HealthCheckResult.up());
        HealthReport report = aggregator(index, search).refresh().join();
        assertThat(report.status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(report.checks()).isEqualTo(Map.of("vector-index", "ok", "search", "ok"));
        verify(index, times(1)).check();
        aggregator.refresh().join();
        verify(index, times(2)).check();
    }

    @Test
    void aFailingCriticalCheckIsRetriedThenMakesTheInstanceUnhealthy() throws Exception {
        HealthCheck index = mock(HealthCheck.class);
        HealthCheck search = mock(HealthCheck.class);
        when(index.check()).thenThrow(new IOException("index file missing"));
        when(search.check()).thenReturn(HealthCheckResult.up());
        HealthReport report = aggregator(index, search).refresh().join();
        // health-retries,2: the first try and two more, all within health-timeout
        verify(index, times(3)).check();
        verify(search, times(1)).check();
        assertThat(report.status()).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(report.checks()).containsEntry("vector-index", "error").containsEntry("search", "ok");
    }

    @Test
    void aFailingCheckNotNamedCriticalOnlyDegrades() throws Exception {
        HealthCheck index = mock(HealthCheck.class);
        HealthCheck search = mock(HealthCheck.class);
        when(index.check()).thenReturn(HealthCheckResult.up());
        when(search.check()).thenReturn(HealthCheckResult.down("down"));
        HealthReport report = aggregator(index, search).refresh().join();
        assertThat(report.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(report.checks()).containsEntry("search", "down");
    }
}
