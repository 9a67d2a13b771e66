package io.generalbots.autoscale.simulate;

import java.util.Arrays;

import io.generalbots.autoscale.ScalingSettings;

/**
 * A yardstick for what a policy <em>without</em> foresight can reach: at the start of each minute
 * it fits a least-squares line to the loads of the last {@value #WINDOW} minutes, and provisions
 * the next minute for the line's value plus {@code z} standard deviations of its residuals (it
 * knows the load's trend and noise as well as they can be measured), launching one boot time
 * ahead and scaling down at once, with no cooldown or stabilization. It needs a boot time of at
 * most 60 s: what it launches for minute {@code m} is decided from minutes up to {@code m − 1}.
 */
final class OnlineReference {

    /** Minutes the trend and the noise are measured over. */
    static final int WINDOW = 15;

    private OnlineReference() {
    }

    /**
     * Runs the policy.
     *
     * @param s     the settings
     * @param trace the load
     * @param model the capacity model (boot at most 60 s)
     * @param z     standard deviations of headroom
     * @return the run, measured by the simulator
     */
    static SimulationResult run(ScalingSettings s, LoadTrace trace, CapacityModel model, double z) {
        if (model.bootSeconds() > 60) {
            throw new IllegalArgumentException("boot-seconds must be at most 60, but was " + model.bootSeconds());
        }
        int n = trace.minutes();
        int initial = Simulator.initialInstances(s, trace, model);
        int[] targets = new int[n];
        targets[0] = initial;
        for (int m = 1; m < n; m++) {
            int k = Math.min(WINDOW, m);
            double mx = 0;
            double my = 0;
            for (int i = m - k; i < m; i++) {
                mx += i;
                my += trace.requestsPerMinute(i);
            }
            mx /= k;
            my /= k;
            double sxy = 0;
            double sxx = 0;
            for (int i = m - k; i < m; i++) {
                sxy += (i - mx) * (trace.requestsPerMinute(i) - my);
                sxx += (i - mx) * (i - mx);
            }
            double slope = sxx == 0 ? 0 : sxy / sxx;
            double rss = 0;
            for (int i = m - k; i < m; i++) {
                double fit = my + slope * (i - mx);
                rss += (trace.requestsPerMinute(i) - fit) * (trace.requestsPerMinute(i) - fit);
            }
            double sigma = k > 2 ? Math.sqrt(rss / (k - 2)) : 0;
            targets[m] = need(s, model, Math.max(0, my + slope * (m - mx) + z * sigma));
        }
        return Simulator.replay(s, trace, model, Oracle.schedule(targets, initial, model.bootSeconds()).lifetimes());
    }

    /** The fewest instances (min..max) that serve a load without a violation minute. */
    private static int need(ScalingSettings s, CapacityModel model, double load) {
        int[] ready = new int[60];
        for (int c = s.minInstances(); c <= s.maxInstances(); c++) {
            Arrays.fill(ready, c);
            if (!Simulator.violated(s, model, load, ready)) {
                return c;
            }
        }
        return s.maxInstances();
    }
}
