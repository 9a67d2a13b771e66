package io.generalbots.autoscale.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

import io.generalbots.autoscale.ScalingSettings;
import io.generalbots.scaling.config.BotConfig;
import org.junit.jupiter.api.Test;

/**
 * The goals of issue 14 for the {@code gb} policy, with the seed's settings
 * ({@code simulations/seed-config.csv}), 600 requests/min per instance and a 60 s boot:
 * <ol>
 *   <li>violation minutes at most 1.2 × the oracle's + 2;</li>
 *   <li>instance-minutes at most 1.05 × the oracle's;</li>
 *   <li>violation minutes at most the seed script's and HPA's.</li>
 * </ol>
 * Checked on the reference traces and on generated ones ({@link TraceGenerator}, seed 2024). Where
 * BENCHMARKS.md records a goal as missed, the reason it gives is checked where it can be, and gb
 * must do no worse than recorded (a ratchet: a better policy passes, a worse one fails). The
 * simulator is deterministic, so the figures are exact. The table is printed for BENCHMARKS.md.
 */
class PolicyGoalsTest {

    private static final Path SIMULATIONS = Path.of("..", "simulations");
    private static final ScalingSettings SEED = ScalingSettings.from(BotConfig.load(SIMULATIONS.resolve("seed-config.csv")));
    private static final CapacityModel MODEL = CapacityModel.of(600, 60);

    /** gb's recorded figures: violation minutes, instance-minutes / oracle's, goals met. */
    private record Recorded(int violations, double costRatio, boolean violationGoal, boolean costGoal,
                            boolean againstOthersGoal) {
    }

    private static final Map<String, Recorded> RECORDED = Map.ofEntries(
            Map.entry("daily-cycle", new Recorded(1, 1.0383, true, true, true)),
            Map.entry("flash-crowd", new Recorded(3, 1.0493, false, true, true)),
            Map.entry("slow-ramp", new Recorded(0, 1.0010, true, true, true)),
            Map.entry("noisy-plateau", new Recorded(1, 1.0764, true, false, true)),
            Map.entry("random-walk-0", new Recorded(1, 1.0469, true, true, true)),
            Map.entry("spikes-0", new Recorded(10, 1.1089, false, false, true)),
            Map.entry("seasonal-0", new Recorded(9, 1.0646, false, false, true)),
            Map.entry("random-walk-1", new Recorded(2, 1.0615, true, false, false)),
            Map.entry("spikes-1", new Recorded(10, 1.1123, false, false, true)),
            Map.entry("seasonal-1", new Recorded(16, 1.0954, false, false, true)),
            Map.entry("random-walk-2", new Recorded(1, 1.0123, true, true, false)),
            Map.entry("spikes-2", new Recorded(10, 1.1388, false, false, true)),
            Map.entry("seasonal-2", new Recorded(7, 1.0702, false, false, true)));

    private record Row(String trace, SimulationResult gb, SimulationResult seed, SimulationResult hpa,
                       SimulationResult oracle) {

        boolean violationGoal() {
            return gb.violationMinutes() <= 1.2 * oracle.violationMinutes() + 2;
        }

        double costRatio() {
            return gb.instanceMinutes() / oracle.instanceMinutes();
        }

        boolean costGoal() {
            return gb.instanceMinutes() <= 1.05 * oracle.instanceMinutes();
        }

        boolean againstOthersGoal() {
            return gb.violationMinutes() <= seed.violationMinutes() && gb.violationMinutes() <= hpa.violationMinutes();
        }

        String markdown() {
            return String.format(Locale.ROOT, "| %s | %s / %d | %s / %d | %s / %d | %s / %d | %.3f | %s | %s | %s |",
                    trace, SimulationResult.format(oracle.instanceMinutes()), oracle.violationMinutes(),
                    SimulationResult.format(gb.instanceMinutes()), gb.violationMinutes(),
                    SimulationResult.format(seed.instanceMinutes()), seed.violationMinutes(),
                    SimulationResult.format(hpa.instanceMinutes()), hpa.violationMinutes(), costRatio(),
                    violationGoal() ? "yes" : "**no**", costGoal() ? "yes" : "**no**",
                    againstOthersGoal() ? "yes" : "**no**");
        }
    }

    private static Row row(String name, LoadTrace trace) {
        return new Row(name, Simulator.run(SEED, trace, MODEL, Policy.GB),
                Simulator.run(SEED, trace, MODEL, Policy.SEED_SCRIPT), Simulator.run(SEED, trace, MODEL, Policy.HPA),
                Simulator.run(SEED, trace, MODEL, Policy.ORACLE));
    }

    private static LoadTrace reference(String name) {
        return LoadTrace.load(SIMULATIONS.resolve("traces").resolve(name + ".csv"));
    }

    private static void checkAgainstRecord(Row r) {
        System.out.println(r.markdown());
        Recorded rec = RECORDED.get(r.trace());
        assertThat(rec).as(r.trace()).isNotNull();
        assertThat(r.gb().violationMinutes()).as(r.trace() + " violation minutes").isLessThanOrEqualTo(rec.violations());
        assertThat(r.costRatio()).as(r.trace() + " instance-minutes / oracle's").isLessThanOrEqualTo(rec.costRatio());
        if (rec.violationGoal()) {
            assertThat(r.violationGoal()).as(r.trace() + ": at most 1.2 x the oracle's violation minutes + 2").isTrue();
        }
        if (rec.costGoal()) {
            assertThat(r.costGoal()).as(r.trace() + ": at most 1.05 x the oracle's instance-minutes").isTrue();
        }
        if (rec.againstOthersGoal()) {
            assertThat(r.againstOthersGoal()).as(r.trace() + ": at most seed-script's and hpa's violation minutes")
                    .isTrue();
        }
    }

    @Test
    void referenceTraces() {
        for (String name : List.of("daily-cycle", "flash-crowd", "slow-ramp", "noisy-plateau")) {
            checkAgainstRecord(row(name, reference(name)));
        }
    }

    /**
     * The flash crowd misses the violation goal by one minute: gb's 3 violation minutes are the
     * three minutes of the rise (each needs more instances than the minute before, and capacity for
     * a minute must be launched a boot time, one minute, before it starts: while the previous,
     * smaller load is all there is to see). No policy that provisions for the load it has seen can
     * be ready for any of them; the seed script and HPA violate all three too.
     */
    @Test
    void theFlashCrowdsViolationMinutesAreTheThreeMinutesOfItsRise() {
        LoadTrace trace = reference("flash-crowd");
        Row r = row("flash-crowd", trace);
        Oracle.Plan plan = Oracle.plan(SEED, trace, MODEL, Simulator.initialInstances(SEED, trace, MODEL));
        List<Integer> rises = IntStream.range(1, trace.minutes()).filter(m -> plan.targets()[m] > plan.targets()[m - 1])
                .boxed().toList();
        assertThat(rises).containsExactly(60, 61, 62);
        assertThat(violatedMinutes(r.gb())).containsExactly(60, 61, 62);
        assertThat(violatedMinutes(r.seed())).contains(60, 61, 62);
        assertThat(violatedMinutes(r.hpa())).contains(60, 61, 62);
    }

    /**
     * The noisy plateau misses the cost goal: 5 instances suffice in a minute with up to 2100
     * requests/min, 6 above; the oracle switches minute by minute, but a minute's load tells
     * nothing about the next (lag-1 autocorrelation about 0), so a policy must hold 6 throughout,
     * which is gb's cost, or run 5 and take a violation minute whenever the noise goes over.
     */
    @Test
    void theNoisyPlateausSavingNeedsForesightOfItsNoise() {
        LoadTrace trace = reference("noisy-plateau");
        Row r = row("noisy-plateau", trace);
        double[] v = IntStream.range(0, trace.minutes()).mapToDouble(trace::requestsPerMinute).toArray();
        double mean = java.util.Arrays.stream(v).average().orElseThrow();
        double num = 0;
        double den = 0;
        for (int m = 0; m < v.length; m++) {
            den += (v[m] - mean) * (v[m] - mean);
            if (m > 0) {
                num += (v[m] - mean) * (v[m - 1] - mean);
            }
        }
        assertThat(Math.abs(num / den)).isLessThan(0.1);

        int initial = Simulator.initialInstances(SEED, trace, MODEL);
        assertThat(initial).isEqualTo(5);
        List<Oracle.Lifetime> five = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            five.add(new Oracle.Lifetime(true, 0, Long.MAX_VALUE));
        }
        List<Oracle.Lifetime> six = new ArrayList<>(five);
        six.add(new Oracle.Lifetime(false, 0, Long.MAX_VALUE));
        SimulationResult holdFive = Simulator.replay(SEED, trace, MODEL, five);
        SimulationResult holdSix = Simulator.replay(SEED, trace, MODEL, six);
        assertThat(holdFive.violationMinutes()).isEqualTo(125);
        assertThat(holdSix.violationMinutes()).isZero();
        assertThat(holdSix.instanceMinutes()).isEqualTo(2160);
        assertThat(r.gb().instanceMinutes()).isEqualTo(2158);
        assertThat(r.gb().violationMinutes()).isEqualTo(1);
    }

    @Test
    void generatedTraces() {
        for (LoadTrace trace : TraceGenerator.unseen(2024, 3)) {
            checkAgainstRecord(row(trace.source(), trace));
        }
    }

    /**
     * Every trace on which gb misses the violation or the cost goal is out of reach for a policy
     * without foresight even when it knows the load's trend and noise and has no cooldown: the
     * {@link OnlineReference} meets the two goals together for no headroom from 0 to 3 standard
     * deviations (it buys fewer violation minutes only with more instance-minutes). On every trace
     * where it meets them for some headroom, gb meets them too.
     */
    @Test
    void whereGbMissesTheOraclesGoalsSoDoesAnOnlinePolicyThatKnowsTheNoise() {
        List<LoadTrace> traces = new ArrayList<>();
        for (String name : List.of("daily-cycle", "flash-crowd", "slow-ramp", "noisy-plateau")) {
            traces.add(LoadTrace.of(name, IntStream.range(0, reference(name).minutes())
                    .mapToDouble(reference(name)::requestsPerMinute).toArray()));
        }
        traces.addAll(TraceGenerator.unseen(2024, 3));
        for (LoadTrace trace : traces) {
            Recorded rec = RECORDED.get(trace.source());
            SimulationResult oracle = Simulator.run(SEED, trace, MODEL, Policy.ORACLE);
            boolean reachable = false;
            for (int quarter = 0; quarter <= 12; quarter++) {
                SimulationResult r = OnlineReference.run(SEED, trace, MODEL, quarter / 4.0);
                reachable |= r.violationMinutes() <= 1.2 * oracle.violationMinutes() + 2
                        && r.instanceMinutes() <= 1.05 * oracle.instanceMinutes();
            }
            assertThat(reachable).as(trace.source()).isEqualTo(rec.violationGoal() && rec.costGoal());
        }
    }

    private static List<Integer> violatedMinutes(SimulationResult r) {
        return IntStream.range(0, r.violated().length).filter(m -> r.violated()[m]).boxed().toList();
    }
}
