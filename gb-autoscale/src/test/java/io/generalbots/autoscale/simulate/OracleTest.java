package io.generalbots.autoscale.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import io.generalbots.autoscale.ScalingSettings;
import io.generalbots.scaling.config.BotConfig;
import org.junit.jupiter.api.Test;

/**
 * The oracle on hand-computed runs, and checked to be the floor it claims to be: against every
 * schedule of a 30-second grid on tiny traces (exhaustive), against random schedules at
 * one-second resolution, and against the real policies.
 */
class OracleTest {

    private static final ScalingSettings SEED = ScalingSettings.from(BotConfig.of(Map.of(
            "scale-rule-response-time", "2000", "scale-rule-cpu-low", "30")));

    private static SimulationResult oracle(int boot, double... rpm) {
        return Simulator.run(SEED, LoadTrace.of("t", rpm), CapacityModel.of(600, boot), Policy.ORACLE);
    }

    @Test
    void launchesExactlyOneBootTimeBeforeTheMinuteThatNeedsIt() {
        SimulationResult r = oracle(60, 400, 400, 400, 400, 400, 2000, 2000, 2000, 2000, 2000);
        // 1 instance for 400 rpm (67 %), 5 for 2000 (67 %): 4 launched at 240 s, ready at 300 s
        assertThat(r.summary()).isEqualTo(String.format(
                "instance-minutes: 34%nviolation-minutes: 0%nscaling-events: 1%npeak-instances: 5%n"));
        assertThat(r.instances()).containsExactly(1, 1, 1, 1, 5, 5, 5, 5, 5, 5);
    }

    @Test
    void scalesDownAtOnceButKeepsAnInstanceThroughAGapNoLongerThanTheBootTime() {
        double[] load = {2000, 400, 2000, 400, 400, 400};
        // a 60 s gap with a 60 s boot: keeping 4 instances costs 4 minutes, relaunching them 4 boot minutes
        assertThat(oracle(60, load).summary()).isEqualTo(String.format(
                "instance-minutes: 18%nviolation-minutes: 0%nscaling-events: 1%npeak-instances: 5%n"));
        // with a 30 s boot the relaunch is cheaper: down at 60 s, up at 90 s (ready at 120 s), down at 180 s
        assertThat(oracle(30, load).summary()).isEqualTo(String.format(
                "instance-minutes: 16%nviolation-minutes: 0%nscaling-events: 3%npeak-instances: 5%n"));
    }

    @Test
    void aMinuteNoCountCanServeIsLostAndServedWithTheMaximum() {
        SimulationResult r = oracle(60, 400, 5000, 400);
        // 5000 rpm on 10 instances is 83 % CPU: lost; the 9 extra instances live from 0 s to 120 s
        assertThat(r.summary()).isEqualTo(String.format(
                "instance-minutes: 21%nviolation-minutes: 1%nscaling-events: 2%npeak-instances: 10%n"));
    }

    @Test
    void beforeTheFirstBootOnlyTheInitialInstancesServe() {
        SimulationResult r = oracle(150, 400, 400, 2000, 2000, 2000, 2000);
        // minute 2 has 1 instance until 150 s whatever anyone does (30 s at 30000 ms): lost, so the maximum
        // is launched at 0 s; levels 2-5 stay for minutes 3-5, levels 6-10 go at 180 s
        assertThat(r.summary()).isEqualTo(String.format(
                "instance-minutes: 45%nviolation-minutes: 1%nscaling-events: 2%npeak-instances: 10%n"));
        Oracle.Plan plan = Oracle.plan(SEED, LoadTrace.of("t", 400, 400, 2000, 2000, 2000, 2000),
                CapacityModel.of(600, 150), 1);
        assertThat(plan.targets()).containsExactly(1, 1, 10, 5, 5, 5);
        assertThat(plan.lostMinutes()).isEqualTo(1);
    }

    @Test
    void itsPlannedCostIsWhatTheSimulatorMeasures() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 20; i++) {
            LoadTrace trace = randomTrace(random, 60, 4000);
            CapacityModel model = CapacityModel.of(600, random.nextInt(0, 200));
            Oracle.Plan plan = Oracle.plan(SEED, trace, model, Simulator.initialInstances(SEED, trace, model));
            SimulationResult run = Simulator.run(SEED, trace, model, Policy.ORACLE);
            assertThat(run.instanceMinutes() * 60).isCloseTo(plan.instanceSeconds(),
                    org.assertj.core.data.Offset.offset(1e-6));
            assertThat(run.violationMinutes()).as(trace.toString()).isEqualTo(plan.lostMinutes());
        }
    }

    /**
     * Every schedule on a 30 s grid (each of up to {@code max} instance slots ready in any subset of
     * the 30 s cells, each ready run launched one boot time before it or kept from second 0), on
     * traces of 3 minutes with at most 3 instances: none has fewer violation minutes than the
     * oracle, and none that keeps the oracle's targets ready costs less.
     */
    @Test
    void noScheduleOfA30SecondGridBeatsIt() {
        ScalingSettings small = ScalingSettings.from(BotConfig.of(Map.of("scale-max-instances", "3",
                "scale-rule-response-time", "2000")));
        SplittableRandom random = new SplittableRandom(11);
        int checked = 0;
        for (int boot : new int[] {0, 30, 60, 90, 150}) {
            for (int k = 0; k < 3; k++) {
                LoadTrace trace = randomTrace(random, 3, 1400);
                CapacityModel model = CapacityModel.of(600, boot);
                int initial = Simulator.initialInstances(small, trace, model);
                Oracle.Plan plan = Oracle.plan(small, trace, model, initial);
                SimulationResult oracle = Simulator.replay(small, trace, model, plan.lifetimes());
                int[] needed = neededPerSecond(plan.targets(), initial, boot);
                int fewestViolations = Integer.MAX_VALUE;
                long cheapestKeepingTargets = Long.MAX_VALUE;
                for (List<Oracle.Lifetime> schedule : gridSchedules(3, 6, initial, boot)) {
                    Outcome o = evaluate(small, trace, model, schedule);
                    if (o == null) {
                        continue;
                    }
                    checked++;
                    fewestViolations = Math.min(fewestViolations, o.violations);
                    if (o.keeps(needed)) {
                        cheapestKeepingTargets = Math.min(cheapestKeepingTargets, o.instanceSeconds);
                    }
                }
                String what = "boot " + boot + " s, trace " + Arrays.toString(loads(trace));
                assertThat(oracle.violationMinutes()).as(what).isEqualTo(fewestViolations);
                assertThat(plan.instanceSeconds()).as(what).isEqualTo(cheapestKeepingTargets);
                assertThat(evaluate(small, trace, model, plan.lifetimes()).keeps(needed)).isTrue();
            }
        }
        assertThat(checked).isGreaterThan(100_000);
    }

    @Test
    void noRandomScheduleAtOneSecondResolutionHasFewerViolationMinutes() {
        ScalingSettings small = ScalingSettings.from(BotConfig.of(Map.of("scale-max-instances", "4",
                "scale-rule-response-time", "2000")));
        SplittableRandom random = new SplittableRandom(5);
        for (int k = 0; k < 20; k++) {
            LoadTrace trace = randomTrace(random, 5, 1900);
            CapacityModel model = CapacityModel.of(600, random.nextInt(0, 130));
            int initial = Simulator.initialInstances(small, trace, model);
            int oracle = Simulator.run(small, trace, model, Policy.ORACLE).violationMinutes();
            for (int n = 0; n < 1000; n++) {
                List<Oracle.Lifetime> schedule = randomSchedule(random, initial, 5 * 60, model.bootSeconds(), 4);
                Outcome o = evaluate(small, trace, model, schedule);
                if (o != null) {
                    assertThat(o.violations).as(Arrays.toString(loads(trace)) + " " + schedule)
                            .isGreaterThanOrEqualTo(oracle);
                }
            }
        }
    }

    @Test
    void noPolicyHasFewerViolationMinutes() {
        SplittableRandom random = new SplittableRandom(9);
        for (int k = 0; k < 12; k++) {
            LoadTrace trace = randomTrace(random, 90, 4800);
            CapacityModel model = CapacityModel.of(600, new int[] {30, 60, 90, 180}[k % 4]);
            SimulationResult oracle = Simulator.run(SEED, trace, model, Policy.ORACLE);
            for (Policy p : List.of(Policy.GB, Policy.SEED_SCRIPT, Policy.HPA)) {
                assertThat(Simulator.run(SEED, trace, model, p).violationMinutes()).as(p + " " + k)
                        .isGreaterThanOrEqualTo(oracle.violationMinutes());
            }
        }
    }

    // --- helpers ---------------------------------------------------------------------------------

    /** A random walk of whole requests/min within 0..top. */
    private static LoadTrace randomTrace(SplittableRandom r, int minutes, double top) {
        double[] v = new double[minutes];
        double load = r.nextDouble() * top;
        for (int m = 0; m < minutes; m++) {
            v[m] = Math.rint(load);
            load = r.nextInt(4) == 0 ? r.nextDouble() * top : Math.max(0, Math.min(top, load + (r.nextDouble() - 0.5) * top / 3));
        }
        return LoadTrace.of("random", v);
    }

    private static double[] loads(LoadTrace t) {
        double[] v = new double[t.minutes()];
        for (int m = 0; m < v.length; m++) {
            v[m] = t.requestsPerMinute(m);
        }
        return v;
    }

    /** The oracle's targets second by second, as boot time allows them. */
    private static int[] neededPerSecond(int[] targets, int initial, int boot) {
        int[] out = new int[targets.length * 60];
        for (int t = 0; t < out.length; t++) {
            int target = targets[t / 60];
            out[t] = t < boot ? Math.min(target, initial) : target;
        }
        return out;
    }

    private record Outcome(int violations, long instanceSeconds, int[] ready) {
        boolean keeps(int[] needed) {
            for (int t = 0; t < needed.length; t++) {
                if (ready[t] < needed[t]) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Violation minutes, instance time and ready counts of a schedule, second by second as the
     * simulator counts them; null when it breaks min..max or launches before second 0.
     */
    private static Outcome evaluate(ScalingSettings s, LoadTrace trace, CapacityModel model,
                                    List<Oracle.Lifetime> schedule) {
        int seconds = trace.minutes() * 60;
        int[] existing = new int[seconds];
        int[] ready = new int[seconds];
        long cost = 0;
        for (Oracle.Lifetime l : schedule) {
            if (l.launch() < 0 || l.destroy() < l.launch()) {
                return null;
            }
            long readyAt = l.initial() ? 0 : l.launch() + model.bootSeconds();
            long end = Math.min(l.destroy(), seconds);
            for (long t = l.launch(); t < end; t++) {
                existing[(int) t]++;
                if (t >= readyAt) {
                    ready[(int) t]++;
                }
            }
            cost += Math.max(0, end - l.launch());
        }
        for (int n : existing) {
            if (n < s.minInstances() || n > s.maxInstances()) {
                return null;
            }
        }
        int violations = 0;
        for (int m = 0; m < trace.minutes(); m++) {
            if (Simulator.violated(s, model, trace.requestsPerMinute(m), Arrays.copyOfRange(ready, 60 * m, 60 * m + 60))) {
                violations++;
            }
        }
        return new Outcome(violations, cost, ready);
    }

    /**
     * All schedules of up to {@code slots} instance slots over {@code cells} 30 s cells (as
     * multisets of ready patterns): each run of ready cells is one instance, launched one boot time
     * before the run, or one of the initial instances when it starts at second 0; initial instances
     * no run claims are destroyed at second 0.
     */
    private static List<List<Oracle.Lifetime>> gridSchedules(int slots, int cells, int initial, int boot) {
        List<List<Oracle.Lifetime>> out = new ArrayList<>();
        int patterns = 1 << cells;
        int[] chosen = new int[slots];
        fill(out, chosen, 0, 0, patterns, cells, initial, boot);
        return out;
    }

    private static void fill(List<List<Oracle.Lifetime>> out, int[] chosen, int slot, int from, int patterns,
                             int cells, int initial, int boot) {
        if (slot == chosen.length) {
            List<Oracle.Lifetime> initials = new ArrayList<>();
            List<Oracle.Lifetime> launches = new ArrayList<>();
            for (int pattern : chosen) {
                int c = 0;
                while (c < cells) {
                    if ((pattern >> c & 1) == 0) {
                        c++;
                        continue;
                    }
                    int start = c;
                    while (c < cells && (pattern >> c & 1) == 1) {
                        c++;
                    }
                    long destroy = c == cells ? Long.MAX_VALUE : 30L * c;
                    if (start == 0 && initials.size() < initial) {
                        initials.add(new Oracle.Lifetime(true, 0, destroy));
                    } else {
                        launches.add(new Oracle.Lifetime(false, 30L * start - boot, destroy));
                    }
                }
            }
            while (initials.size() < initial) {
                initials.add(new Oracle.Lifetime(true, 0, 0));
            }
            List<Oracle.Lifetime> schedule = new ArrayList<>(initials);
            schedule.addAll(launches);
            out.add(schedule);
            return;
        }
        for (int p = from; p < patterns; p++) {
            chosen[slot] = p;
            fill(out, chosen, slot + 1, p, patterns, cells, initial, boot);
        }
    }

    /** Random launches and destroys at any second. */
    private static List<Oracle.Lifetime> randomSchedule(SplittableRandom r, int initial, int seconds, int boot,
                                                        int max) {
        List<Oracle.Lifetime> out = new ArrayList<>();
        for (int i = 0; i < initial; i++) {
            out.add(new Oracle.Lifetime(true, 0, r.nextBoolean() ? Long.MAX_VALUE : r.nextInt(seconds)));
        }
        int launches = r.nextInt(max + 2);
        for (int i = 0; i < launches; i++) {
            long launch = r.nextInt(seconds);
            long destroy = r.nextBoolean() ? Long.MAX_VALUE : launch + r.nextInt(seconds);
            out.add(new Oracle.Lifetime(false, launch, destroy));
        }
        return out;
    }
}
