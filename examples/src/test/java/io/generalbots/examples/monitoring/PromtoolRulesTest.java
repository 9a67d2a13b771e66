package io.generalbots.examples.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped {@code monitoring/alerting-rules.yml}, checked and unit-tested by the real
 * {@code promtool} of Debian's {@code prometheus} package (scripts/test installs it; a missing
 * promtool fails this test, it never skips).
 */
class PromtoolRulesTest {

    @Test
    void rulesAreValid() {
        List<String> alerts = Monitoring.alertNames(Monitoring.read(Monitoring.rules()));
        Monitoring.Run run = Monitoring.run(Monitoring.dir(), "promtool", "check", "rules", "alerting-rules.yml");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS: " + alerts.size() + " rules found");
    }

    @Test
    void theSeedsRulesAndOursAreThere() {
        assertThat(Monitoring.alertNames(Monitoring.read(Monitoring.rules()))).containsExactly(
                "HighCPUUsage", "MaxInstancesReached", "ScalingFailed",
                "CircuitBreakerOpen", "RateLimiterOnLocalFallback", "ShardImbalance", "PostgresPrimaryChanged",
                "PostgresNoPrimary", "HealthDegraded", "HealthDown");
    }

    @Test
    void unitTestsPass() {
        Monitoring.Run run = Monitoring.run(Monitoring.dir(), "promtool", "test", "rules", "alerting-rules.test.yml");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS").doesNotContain("FAILED");
    }

    /** Each alert is tested both ways: some case expects it to fire, some case expects it not to. */
    @Test
    void everyAlertIsTestedFiringAndNotFiring() {
        String tests = Monitoring.read(Monitoring.dir().resolve("alerting-rules.test.yml"));
        List<String> firing = new ArrayList<>();
        List<String> quiet = new ArrayList<>();
        for (String testCase : tests.split("(?m)^\\s*- eval_time:")) {
            var name = java.util.regex.Pattern.compile("(?m)^\\s*alertname:\\s*(\\S+)").matcher(testCase);
            if (!name.find()) {
                continue;
            }
            if (testCase.matches("(?s).*exp_alerts:\\s*\\[]\\s*.*")) {
                quiet.add(name.group(1));
            } else if (testCase.contains("exp_labels:")) {
                firing.add(name.group(1));
            }
        }
        for (String alert : Monitoring.alertNames(Monitoring.read(Monitoring.rules()))) {
            assertThat(firing).as("a case where %s fires", alert).contains(alert);
            assertThat(quiet).as("a case where %s does not fire", alert).contains(alert);
        }
    }

    /** The harness can fail: a rule whose threshold is changed breaks its unit test. */
    @Test
    void aWrongThresholdFailsTheUnitTests(@TempDir Path dir) throws IOException {
        String rules = Monitoring.read(Monitoring.rules());
        Files.writeString(dir.resolve("alerting-rules.yml"), rules.replace("> 0.8", "> 0.95"));
        Files.copy(Monitoring.dir().resolve("alerting-rules.test.yml"), dir.resolve("alerting-rules.test.yml"));
        Monitoring.Run run = Monitoring.run(dir, "promtool", "test", "rules", "alerting-rules.test.yml");
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.output()).contains("FAILED").contains("alertname: HighCPUUsage");
    }
}
