package io.generalbots.autoscale.simulate;

import java.util.ArrayList;
import java.util.List;

import io.generalbots.autoscale.ScalingSettings;

/**
 * The {@code oracle} policy: the floor under the simulator's capacity model, computed with
 * perfect foresight of the whole trace.
 *
 * <p><b>Targets.</b> For each minute {@code m}, the target {@code d(m)} is the fewest ready
 * instances (at least {@code scale-min-instances}) with which minute {@code m} is not a violation
 * minute, judged by the simulator's own rule ({@link Simulator#violated}); when not even
 * {@code scale-max-instances} can keep it out of violation, the minute is <em>lost</em> and its
 * target is the maximum (a lost minute is still served as well as it can be, not given up to save
 * instance-minutes). Nothing launched can be ready before second {@code S} (the boot time): before
 * {@code S} only the run's initial instances serve, so a minute that starts before {@code S} is
 * judged with {@code min(c, initial)} ready until {@code S} and {@code c} after it.
 *
 * <p><b>Schedule.</b> The least instance time that keeps at least {@code d(m)} instances ready
 * through every minute (from {@code S} on for launched ones). Instance time is a sum over
 * "levels": level {@code j} must be ready whenever the target is at least {@code j}, and each of
 * its ready intervals costs its length plus {@code S} for the boot when it is a launch. So, level
 * by level: an instance is launched exactly {@code S} seconds before its level is needed (capacity
 * for minute {@code m} is launched at second {@code 60m − S}), kept through a gap when the gap is
 * at most {@code S} (keeping costs the gap, a relaunch costs {@code S}), and otherwise destroyed the
 * second its level stops being needed. An initial instance whose level is first needed more than
 * {@code S} seconds in is destroyed at second 0 and relaunched in time.
 *
 * <p><b>What it is a floor of.</b> (1) Violation minutes: no schedule at all, whatever it does
 * within a minute, has fewer: a minute passes only if its highest ready count passes as a constant
 * (CPU % and response time only fall as instances are added), and that count is either above the
 * maximum or one the oracle keeps ready through the whole minute, from as early as boot time
 * allows. (2) Instance-minutes: no schedule that keeps the targets ready through every minute
 * costs less. A policy may still spend fewer instance-minutes than the oracle by accepting more
 * violation minutes (it under-provisions), or, with the same violation minutes, by running one
 * instance short for part of a minute whose <em>average</em> still passes; the oracle provisions
 * whole minutes, the resolution of the trace.
 */
final class Oracle {

    private Oracle() {
    }

    /**
     * One instance of a schedule.
     *
     * @param initial whether it is one of the run's initial instances (ready from second 0)
     * @param launch  the second it is launched (0 for an initial one); ready {@code S} seconds later
     * @param destroy the second it is destroyed ({@link Long#MAX_VALUE}: kept to the end)
     */
    record Lifetime(boolean initial, long launch, long destroy) {
    }

    /**
     * The oracle's plan for a trace.
     *
     * @param targets         ready instances each minute must have
     * @param lost            minutes no count up to the maximum keeps out of violation
     * @param lifetimes       the schedule: the initial instances first, in order, then the launches
     * @param instanceSeconds the schedule's instance time within the trace
     */
    record Plan(int[] targets, boolean[] lost, List<Lifetime> lifetimes, long instanceSeconds) {

        /**
         * Lost minutes.
         *
         * @return how many minutes the targets cannot keep out of violation
         */
        int lostMinutes() {
            int n = 0;
            for (boolean b : lost) {
                n += b ? 1 : 0;
            }
            return n;
        }
    }

    /**
     * Plans a trace.
     *
     * @param settings the scale-* settings (min, max, CPU threshold, response-time rule)
     * @param trace    the load
     * @param model    the capacity model
     * @param initial  the run's initial instances, all ready at second 0
     * @return the plan
     */
    static Plan plan(ScalingSettings settings, LoadTrace trace, CapacityModel model, int initial) {
        int minutes = trace.minutes();
        int boot = model.bootSeconds();
        int min = settings.minInstances();
        int max = settings.maxInstances();
        int[] targets = new int[minutes];
        boolean[] lost = new boolean[minutes];
        int[] ready = new int[60];
        for (int m = 0; m < minutes; m++) {
            double load = trace.requestsPerMinute(m);
            int target = -1;
            for (int c = min; c <= max && target < 0; c++) {
                for (int s = 0; s < 60; s++) {
                    ready[s] = 60L * m + s < boot ? Math.min(c, initial) : c;
                }
                if (!Simulator.violated(settings, model, load, ready)) {
                    target = c;
                }
            }
            lost[m] = target < 0;
            targets[m] = lost[m] ? max : target;
        }
        Schedule schedule = schedule(targets, initial, boot);
        return new Plan(targets, lost, schedule.lifetimes(), schedule.instanceSeconds());
    }

    /**
     * A schedule and its instance time.
     *
     * @param lifetimes       the initial instances first, in order, then the launches
     * @param instanceSeconds instance time within the trace
     */
    record Schedule(List<Lifetime> lifetimes, long instanceSeconds) {
    }

    /**
     * The least instance time that keeps {@code targets[m]} instances ready through every minute
     * {@code m} (launched ones from second {@code boot} on), built level by level.
     *
     * @param targets ready instances per minute
     * @param initial the initial instances, ready from second 0
     * @param boot    the boot time, seconds
     * @return the schedule
     */
    static Schedule schedule(int[] targets, int initial, int boot) {
        long end = 60L * targets.length;
        int top = initial;
        for (int t : targets) {
            top = Math.max(top, t);
        }
        List<Lifetime> initials = new ArrayList<>();
        List<Lifetime> launches = new ArrayList<>();
        long instanceSeconds = 0;
        for (int level = 1; level <= top; level++) {
            List<long[]> needed = neededIntervals(targets, level, level <= initial, boot);
            List<Lifetime> own = new ArrayList<>();
            if (level <= initial && needed.isEmpty()) {
                own.add(new Lifetime(true, 0, 0));
            }
            long from = -1;
            boolean fromInitial = false;
            long to = -1;
            for (long[] interval : needed) {
                if (from < 0) {
                    fromInitial = level <= initial && interval[0] <= boot;
                    if (level <= initial && !fromInitial) {
                        own.add(new Lifetime(true, 0, 0));
                    }
                    from = fromInitial ? 0 : interval[0] - boot;
                } else if (interval[0] - to > boot) {
                    own.add(new Lifetime(fromInitial, from, to));
                    from = interval[0] - boot;
                    fromInitial = false;
                }
                to = interval[1];
            }
            if (from >= 0) {
                own.add(new Lifetime(fromInitial, from, to >= end ? Long.MAX_VALUE : to));
            }
            for (Lifetime l : own) {
                instanceSeconds += Math.min(l.destroy(), end) - l.launch();
                (l.initial() ? initials : launches).add(l);
            }
        }
        List<Lifetime> lifetimes = new ArrayList<>(initials);
        lifetimes.addAll(launches);
        return new Schedule(List.copyOf(lifetimes), instanceSeconds);
    }

    /**
     * The seconds in which a level must be ready: minute {@code m} when {@code targets[m] >= level},
     * from second {@code S} on when an instance would have to be launched for it.
     */
    private static List<long[]> neededIntervals(int[] targets, int level, boolean initial, int boot) {
        List<long[]> out = new ArrayList<>();
        for (int m = 0; m < targets.length; m++) {
            if (targets[m] < level) {
                continue;
            }
            long start = initial ? 60L * m : Math.max(60L * m, boot);
            long stop = 60L * m + 60;
            if (start >= stop) {
                continue;
            }
            long[] last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && last[1] == start) {
                last[1] = stop;
            } else {
                out.add(new long[] {start, stop});
            }
        }
        return out;
    }
}
