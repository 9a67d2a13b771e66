package io.generalbots.autoscale.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import io.generalbots.autoscale.ScalingSettings;
import io.generalbots.scaling.config.BotConfig;
import org.junit.jupiter.api.Test;

class SimulatorTest {

    private static final ScalingSettings SEED = ScalingSettings.from(BotConfig.of(Map.of(
            "scale-rule-response-time", "2000", "scale-rule-cpu-low", "30")));
    private static final CapacityModel MODEL = CapacityModel.of(600, 60);

    private static LoadTrace step(int minutes, double before, double after, int at) {
        double[] v = new double[minutes];
        for (int i = 0; i < minutes; i++) {
            v[i] = i < at ? before : after;
        }
        return LoadTrace.of("step", v);
    }

    @Test
    void aSteadyLoadAtTheTargetCostsItsInstancesAndNothingElse() {
        SimulationResult r = Simulator.run(SEED, step(30, 840, 840, 0), MODEL, Policy.GB);
        // 840 rpm needs 2 instances at 70 %: ceil(840 / 420)
        assertThat(r.instanceMinutes()).isEqualTo(60);
        assertThat(r.violationMinutes()).isZero();
        assertThat(r.scalingEvents()).isZero();
        assertThat(r.peakInstances()).isEqualTo(2);
        assertThat(r.summary()).isEqualTo(String.format(
                "instance-minutes: 60%nviolation-minutes: 0%nscaling-events: 0%npeak-instances: 2%n"));
    }

    @Test
    void theSeedScriptAddsOneInstancePerCooldown() {
        SimulationResult r = Simulator.run(SEED, step(20, 400, 2000, 1), MODEL, Policy.SEED_SCRIPT);
        // from 1 instance; +1 at 60 s, next allowed after more than 300 s: at 390 s, 720 s, 1050 s
        assertThat(r.scalingEvents()).isEqualTo(4);
        assertThat(r.instances()[0]).isEqualTo(1);
        assertThat(r.instances()[1]).isEqualTo(2);
        assertThat(r.instances()[6]).isEqualTo(3);
        assertThat(r.instances()[12]).isEqualTo(4);
        assertThat(r.instances()[19]).isEqualTo(5);
    }

    @Test
    void hpaScalesProportionallyAndIgnoresChangesWithinTolerance() {
        SimulationResult r = Simulator.run(SEED, step(10, 400, 2000, 1), MODEL, Policy.HPA);
        // 1 instance at 100 %: ratio 1.43 -> 2; then 2 at 100 % (+1 starting at 0 %) ...
        assertThat(r.instances()[9]).isEqualTo(5);
        SimulationResult within = Simulator.run(SEED, step(10, 840, 900, 1), MODEL, Policy.HPA);
        assertThat(within.scalingEvents()).isZero();
        assertThat(within.violationMinutes()).isEqualTo(9);
    }

    @Test
    void gbScalesAFlashCrowdInOneProportionalStep() {
        SimulationResult gb = Simulator.run(SEED, step(20, 400, 2000, 1), MODEL, Policy.GB);
        assertThat(gb.instances()[1]).isEqualTo(3);
        assertThat(gb.peakInstances()).isBetween(5, 6);
        assertThat(gb.violationMinutes()).isLessThanOrEqualTo(3);
    }

    @Test
    void runsAreDeterministic() {
        LoadTrace t = step(60, 300, 2500, 10);
        assertThat(Simulator.run(SEED, t, MODEL, Policy.GB).summary())
                .isEqualTo(Simulator.run(SEED, t, MODEL, Policy.GB).summary());
    }

    @Test
    void badModelsAndPoliciesAreRejectedWithTheValue() {
        assertThatThrownBy(() -> CapacityModel.of(0, 60)).hasMessage("capacity-rpm must be a number > 0, but was 0.0");
        assertThatThrownBy(() -> CapacityModel.of(600, -1))
                .hasMessage("boot-seconds must be from 0 to 86400, but was -1");
        assertThatThrownBy(() -> Policy.of("k8s")).hasMessage("--policy must be gb, seed-script, hpa or oracle, but was k8s");
    }

    @Test
    void responseTimeGrowsWithUtilization() {
        assertThat(MODEL.responseMillis(0, 1)).isEqualTo(200);
        assertThat(MODEL.responseMillis(300, 1)).isEqualTo(400);
        assertThat(MODEL.responseMillis(600, 1)).isEqualTo(CapacityModel.MAX_RESPONSE_MILLIS);
        assertThat(MODEL.cpuPercent(900, 0)).isEqualTo(100);
    }
}
