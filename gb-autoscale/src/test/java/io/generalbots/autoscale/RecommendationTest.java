package io.generalbots.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.generalbots.scaling.config.BotConfig;
import org.junit.jupiter.api.Test;

class RecommendationTest {

    private static ScalingSettings settings(Map<String, String> m) {
        return ScalingSettings.from(BotConfig.of(m));
    }

    private static List<InstanceMetrics> ready(int n, InstanceMetrics m) {
        return Collections.nCopies(n, m);
    }

    @Test
    void theLargestProposalWins() {
        ScalingSettings s = settings(Map.of("scale-rule-queue-depth", "100"));
        InstanceMetrics m = new InstanceMetrics(true, 50, 90, 200, 100, 350);
        Recommendation r = Recommendation.recommend(s, 4, ready(4, m), 0);
        // cpu holds at 4, memory 90/80 -> 5, queue 350/100 capped at 2x -> 8
        assertThat(r.desired()).isEqualTo(8);
        assertThat(r.rule()).isEqualTo("scale-rule-queue-depth");
        assertThat(r.reason()).isEqualTo("avg queue 350 > 100: max(4 + 1, ceil(4 × 2)) = 8");
    }

    @Test
    void requestsPerInstanceAreATarget() {
        Recommendation r = Recommendation.recommend(settings(Map.of()), 2,
                ready(2, new InstanceMetrics(true, 10, 10, 1500, Double.NaN, Double.NaN)), 0);
        assertThat(r.desired()).isEqualTo(3);
        assertThat(r.rule()).isEqualTo("scale-request-threshold");
    }

    @Test
    void responseTimeRuleAddsAtLeastOneInstance() {
        ScalingSettings s = settings(Map.of("scale-rule-response-time", "2000"));
        Recommendation r = Recommendation.recommend(s, 3,
                ready(3, new InstanceMetrics(true, 60, Double.NaN, Double.NaN, 2100, Double.NaN)), 0);
        assertThat(r.desired()).isEqualTo(4);
        assertThat(r.rule()).isEqualTo("scale-rule-response-time");
    }

    @Test
    void withinToleranceBelowTheThresholdItHolds() {
        Recommendation r = Recommendation.recommend(settings(Map.of()), 5, ready(5, InstanceMetrics.cpu(65)), 0);
        assertThat(r.desired()).isEqualTo(5);
        assertThat(r.reason()).endsWith("within tolerance: hold");
    }

    @Test
    void clampsToMinAndMaxButKeepsWhatItWanted() {
        ScalingSettings s = settings(Map.of("scale-min-instances", "2", "scale-max-instances", "3"));
        Recommendation up = Recommendation.recommend(s, 3, ready(3, InstanceMetrics.cpu(100)), 0);
        assertThat(up.desired()).isEqualTo(3);
        assertThat(up.wanted()).isEqualTo(5);
        Recommendation down = Recommendation.recommend(s, 3, ready(3, InstanceMetrics.cpu(1)), 0);
        assertThat(down.desired()).isEqualTo(2);
    }
}
