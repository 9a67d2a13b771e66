package io.generalbots.autoscale.simulate;

import java.util.Locale;

/**
 * What a simulated run cost and how well it served, plus the minute-by-minute series for a chart.
 *
 * @param policy           the policy
 * @param instanceMinutes  instance time paid for, in minutes (booting and draining included)
 * @param violationMinutes minutes whose average CPU was over {@code scale-cpu-threshold} or whose
 *                         average response time was over {@code scale-rule-response-time}
 * @param scalingEvents    scaling actions (one action may add or remove several instances)
 * @param peakInstances    most instances existing at once
 * @param load             requests/min, per minute
 * @param instances        instances existing at the end of each minute
 * @param cpu              average CPU % of the ready instances, per minute
 * @param violated         whether each minute was a violation minute
 */
public record SimulationResult(Policy policy, double instanceMinutes, int violationMinutes, int scalingEvents,
                               int peakInstances, double[] load, int[] instances, double[] cpu, boolean[] violated) {

    /**
     * The four summary lines of {@code gb-scale simulate}, each ending with a newline.
     *
     * @return the summary
     */
    public String summary() {
        return String.format(Locale.ROOT, "instance-minutes: %s%nviolation-minutes: %d%nscaling-events: %d%n"
                + "peak-instances: %d%n", format(instanceMinutes), violationMinutes, scalingEvents, peakInstances);
    }

    /**
     * Instance-minutes as printed: a whole number when whole, else one decimal.
     *
     * @param minutes the value
     * @return the text
     */
    static String format(double minutes) {
        double rounded = Math.round(minutes * 10) / 10.0;
        return rounded == Math.rint(rounded) ? Long.toString((long) rounded) : String.format(Locale.ROOT, "%.1f", rounded);
    }
}
