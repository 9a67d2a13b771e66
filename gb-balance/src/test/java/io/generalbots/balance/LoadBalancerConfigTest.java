package io.generalbots.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.health.HealthSettings;

class LoadBalancerConfigTest {

    @Test
    void defaultsAreCaddys() {
        LoadBalancerConfig c = LoadBalancerConfig.ofDefaults();
        assertThat(c.policy()).hasToString("random");
        assertThat(c.tryDuration()).isZero();
        assertThat(c.tryInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.healthUri()).isNull();
        assertThat(c.healthInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.healthTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.failDuration()).isZero();
        assertThat(c.maxFails()).isEqualTo(1);
        assertThat(c.isExpectedHealthStatus(204)).isTrue();
        assertThat(c.isExpectedHealthStatus(301)).isFalse();
    }

    @Test
    void immutableCopyAndHealthFromConfigCsv() {
        LoadBalancerConfig a = LoadBalancerConfig.custom().policy(LoadBalancingPolicy.randomChoose(2)).build();
        LoadBalancerConfig b = LoadBalancerConfig.from(a).health(HealthSettings.from(BotConfig.ofDefaults())).build();
        assertThat(a.healthUri()).isNull();
        assertThat(b.healthUri()).isEqualTo("/api/health");
        assertThat(b.healthInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(b.policy()).hasToString("random_choose 2");
        assertThat(LoadBalancingPolicy.cookie("x")).hasToString("cookie lb");
    }

    @Test
    void badValuesNameTheOptionAndTheValue() {
        assertThatThrownBy(() -> LoadBalancerConfig.custom().tryDuration(Duration.ofSeconds(-1)))
                .hasMessage("lb_try_duration must be zero or positive, but was PT-1S");
        assertThatThrownBy(() -> LoadBalancerConfig.custom().healthStatus("2x"))
                .hasMessage("health_status must be a status code 100..599 or a class 1xx..5xx, but was \"2x\"");
        assertThatThrownBy(() -> LoadBalancerConfig.custom().healthUri("api/health"))
                .hasMessage("health_uri must be a path starting with / without spaces, but was api/health");
        assertThatThrownBy(() -> LoadBalancerConfig.custom().maxFails(0))
                .hasMessage("max_fails must be from 1 to 1000, but was 0");
        assertThatThrownBy(() -> LoadBalancerConfig.custom().unhealthyStatus(503, 42))
                .hasMessage("unhealthy_status must be status codes from 100 to 599, but was 42");
        assertThatThrownBy(() -> LoadBalancerConfig.custom().healthInterval(Duration.ofSeconds(1))
                .healthTimeout(Duration.ofSeconds(2)).build())
                .hasMessage("health_timeout must be at most health_interval (PT1S), but was PT2S");
        assertThatThrownBy(() -> LoadBalancingPolicy.randomChoose(1))
                .hasMessage("random_choose must be from 2 to 100, but was 1");
        assertThatThrownBy(() -> LoadBalancingPolicy.cookie("a b", "s"))
                .hasMessage("cookie name must be a cookie token, but was a b");
        assertThatThrownBy(() -> LoadBalancer.custom(" "))
                .hasMessage("balancer name must be a non-blank text, but was  ");
    }
}
