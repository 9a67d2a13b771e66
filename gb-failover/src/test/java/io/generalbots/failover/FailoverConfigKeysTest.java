package io.generalbots.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigProblem;
import io.generalbots.scaling.config.ConfigReport;

class FailoverConfigKeysTest {

    @Test
    void theSeedsFailoverLinesAreValidAndShownWithTheirLines() {
        BotConfig config = BotConfig.parse("config.csv", String.join("\n",
                "circuit-breaker-enabled,true", "circuit-breaker-threshold,5", "circuit-breaker-timeout,30",
                "circuit-breaker-half-open-requests,3", "fallback-llm-enabled,true", "fallback-llm-provider,local",
                "fallback-llm-model,DeepSeek-R3-Distill-Qwen-1.5B", "fallback-cache-enabled,true",
                "fallback-cache-mode,memory", "fallback-vectordb-enabled,true", "fallback-vectordb-mode,keyword-search",
                "cache-mode,sentinel", "cache-sentinel-master,mymaster",
                "cache-sentinel-nodes,sentinel-1:26379,sentinel-2:26379,sentinel-3:26379"));
        ConfigReport report = config.validate(true);
        assertThat(report.problems()).isEmpty();
        assertThat(report.effectiveSettings()).extracting(ConfigReport.Setting::toString)
                .contains("circuit-breaker-threshold = 5  (line 2)", "cache-mode = sentinel  (line 12)",
                        "fallback-cache-size = 10000  (default)", "health-critical-checks = database  (default)");
    }

    @Test
    void everyBadFailoverValueIsReportedTogether() {
        BotConfig config = BotConfig.parse("config.csv", String.join("\n",
                "circuit-breaker-threshold,five", "fallback-cache-ttl,-1", "cache-mode,cluster",
                "circuit-breaker-treshold,5"));
        List<String> problems = config.validate(false).problems().stream().map(ConfigProblem::toString).toList();
        assertThat(problems).anyMatch(p -> p.startsWith(
                "config.csv:1: circuit-breaker-threshold must be an integer from 1 to 1000, but was \"five\""));
        assertThat(problems).anyMatch(p -> p.startsWith("config.csv:2: fallback-cache-ttl must be a duration"));
        assertThat(problems).anyMatch(p -> p.contains(
                "config.csv:3: cache-mode is cluster, so cache-nodes must list the cluster's nodes"));
        assertThat(problems).anyMatch(p -> p.contains("circuit-breaker-treshold") && p.contains("circuit-breaker-threshold"));
    }
}
