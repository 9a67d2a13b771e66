package io.generalbots.autoscale;

import java.util.Collection;
import java.util.Locale;

/**
 * The desired instance count for one check, with the rule that decided and the numbers behind it.
 * {@link #recommend} is a pure function: the same inputs give the same count.
 *
 * <p>How it decides (every proposal is computed over the <em>ready</em> instances only; those still
 * starting count as adding capacity, i.e. as 0 % when scaling up, as HPA does):
 * <ul>
 *   <li>{@code scale-cpu-threshold}, {@code scale-memory-threshold}, {@code scale-request-threshold}
 *       (per instance) are targets: above one, it proposes {@code ceil(ready × average / target)}
 *       (Kubernetes HPA's formula, so a load twice the target doubles the instances in one step);
 *       below {@value #DOWN_TOLERANCE} of it (HPA's 0.1 tolerance) it proposes
 *       {@code ceil(ready × average / (downFraction × target))}, fewer instances with headroom;
 *       in between it proposes the current count.</li>
 *   <li>{@code scale-rule-response-time} and {@code scale-rule-queue-depth} with action {@code up}
 *       propose, when the average is above the rule, {@code ceil(ready × min(2, value / rule))} and at
 *       least one more instance; with action {@code down}, one fewer.</li>
 *   <li>{@code scale-rule-cpu-low} with action {@code down} proposes, when the CPU average is below
 *       it, the count that brings CPU back to {@code scale-cpu-threshold}; with action {@code up},
 *       one more.</li>
 *   <li>The largest proposal wins (as HPA with several metrics), clamped to
 *       {@code scale-min-instances..scale-max-instances}.</li>
 *   <li>Missing metrics never cause a scale-down: if any counted instance is still starting or has
 *       no metrics, or no ready instance reported at all, the count is not lowered.</li>
 * </ul>
 *
 * @param desired the desired count, within min..max
 * @param wanted  the count before clamping to min..max
 * @param current the current count (starting and ready instances)
 * @param rule    the key of the deciding rule or threshold, or {@code hold}
 * @param reason  the numbers behind it
 */
public record Recommendation(int desired, int wanted, int current, String rule, String reason) {

    /** Below this fraction of a target, a metric proposes fewer instances (HPA's tolerance 0.1). */
    public static final double DOWN_TOLERANCE = 0.9;
    /** The least fraction of a target a scale-down may aim at. */
    public static final double MIN_DOWN_FRACTION = 0.8;
    /** The greatest fraction of a target a scale-down may aim at. */
    public static final double MAX_DOWN_FRACTION = 0.95;

    /**
     * Computes the recommendation.
     *
     * @param s        the settings
     * @param current  instances counted (starting and ready; draining ones excluded)
     * @param ready    the metrics of the ready instances
     * @param starting instances counted that are not ready or have no metrics
     * @return the recommendation
     */
    public static Recommendation recommend(ScalingSettings s, int current, Collection<InstanceMetrics> ready,
                                           int starting) {
        return recommend(s, current, ready, starting, Double.NaN);
    }

    /**
     * Computes the recommendation with a CPU forecast: when the average CPU the ready instances
     * will have one boot time plus one check from now (at the current trend) is over
     * {@code scale-cpu-threshold}, it proposes {@code ceil(ready × forecast / threshold)} now, so
     * that the instances are ready when the load arrives. The forecast never lowers a proposal.
     *
     * @param s           the settings
     * @param current     instances counted (starting and ready)
     * @param ready       the metrics of the ready instances
     * @param starting    instances counted that are not ready or have no metrics
     * @param cpuForecast the forecast average CPU % of the ready instances, or NaN for none
     * @return the recommendation
     */
    public static Recommendation recommend(ScalingSettings s, int current, Collection<InstanceMetrics> ready,
                                           int starting, double cpuForecast) {
        return recommend(s, current, ready, starting, cpuForecast, DOWN_TOLERANCE);
    }

    /**
     * Computes the recommendation with a CPU forecast and the fraction of each target a scale-down
     * aims at (the engine derives it from how noisy the load is; see {@code AutoScaler}).
     *
     * @param s            the settings
     * @param current      instances counted (starting and ready)
     * @param ready        the metrics of the ready instances
     * @param starting     instances counted that are not ready or have no metrics
     * @param cpuForecast  the forecast average CPU % of the ready instances, or NaN for none
     * @param downFraction a scale-down proposes {@code ceil(ready × average / (downFraction × target))},
     *                     from {@value #MIN_DOWN_FRACTION} to {@value #MAX_DOWN_FRACTION}
     * @return the recommendation
     */
    public static Recommendation recommend(ScalingSettings s, int current, Collection<InstanceMetrics> ready,
                                           int starting, double cpuForecast, double downFraction) {
        io.generalbots.scaling.Checks.requireRange("downFraction", downFraction, MIN_DOWN_FRACTION, MAX_DOWN_FRACTION);
        double f = downFraction;
        Proposal best = null;
        int n = ready.size();
        if (n > 0) {
            best = max(best, target(n, current, average(ready, Metric.CPU), s.cpuThreshold(), "scale-cpu-threshold",
                    "cpu", "%", f));
            if (InstanceMetrics.known(cpuForecast) && cpuForecast > s.cpuThreshold()) {
                Proposal forecast = target(n, current, cpuForecast, s.cpuThreshold(), "scale-cpu-threshold",
                        "forecast cpu", "%", f);
                if (best == null || forecast.count > best.count) {
                    best = forecast;
                }
            }
            best = max(best, target(n, current, average(ready, Metric.MEMORY), s.memoryThreshold(),
                    "scale-memory-threshold", "memory", "%", f));
            best = max(best, target(n, current, average(ready, Metric.REQUESTS), s.requestThreshold(),
                    "scale-request-threshold", "requests/min per instance", "", f));
            for (ScalingRule rule : s.rules()) {
                best = max(best, rule(s, rule, n, current, ready));
            }
        }
        if (best == null) {
            best = new Proposal(current, "hold", n == 0 ? "no ready instance reported metrics" : "no metrics");
        }
        int wanted = best.count;
        String reason = best.reason;
        if (wanted < current && (starting > 0 || n == 0)) {
            reason += "; not lowered: " + starting + " instance(s) starting or without metrics";
            wanted = current;
        }
        int desired = Math.max(s.minInstances(), Math.min(s.maxInstances(), wanted));
        return new Recommendation(desired, wanted, current, best.rule, reason);
    }

    private enum Metric { CPU, MEMORY, REQUESTS, RESPONSE, QUEUE }

    private record Proposal(int count, String rule, String reason) {
    }

    private static Proposal max(Proposal a, Proposal b) {
        if (b == null) {
            return a;
        }
        return a == null || b.count > a.count ? b : a;
    }

    private static double average(Collection<InstanceMetrics> ready, Metric metric) {
        double sum = 0;
        int count = 0;
        for (InstanceMetrics m : ready) {
            double v = switch (metric) {
                case CPU -> m.cpuPercent();
                case MEMORY -> m.memoryPercent();
                case REQUESTS -> m.requestsPerMinute();
                case RESPONSE -> m.responseTimeMillis();
                case QUEUE -> m.queueDepth();
            };
            if (InstanceMetrics.known(v)) {
                sum += v;
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    private static Proposal target(int ready, int current, double avg, double target, String key, String what,
                                   String unit, double downFraction) {
        if (!InstanceMetrics.known(avg)) {
            return null;
        }
        int proportional = (int) Math.ceil(ready * avg / target - 1e-9);
        String numbers = String.format(Locale.ROOT, "avg %s %s%s %s %s%s on %d ready: ceil(%d × %s / %s) = %d", what,
                num(avg), unit, avg > target ? ">" : "<=", num(target), unit, ready, ready, num(avg), num(target),
                proportional);
        if (avg > target) {
            return new Proposal(Math.max(proportional, current), key, numbers);
        }
        if (avg < target * DOWN_TOLERANCE) {
            int down = Math.min(current, (int) Math.ceil(ready * avg / (target * downFraction) - 1e-9));
            return new Proposal(down, key, numbers.replace(" = " + proportional, " = " + proportional)
                    + String.format(Locale.ROOT, "; down to ceil(%d × %s / (%s × %s)) = %d", ready, num(avg),
                    String.format(Locale.ROOT, "%.2f", downFraction), num(target), down));
        }
        return new Proposal(current, key, numbers + ", within tolerance: hold");
    }

    private static Proposal rule(ScalingSettings s, ScalingRule rule, int ready, int current,
                                 Collection<InstanceMetrics> metrics) {
        Metric metric = switch (rule.metric()) {
            case RESPONSE_TIME -> Metric.RESPONSE;
            case CPU_LOW -> Metric.CPU;
            case QUEUE_DEPTH -> Metric.QUEUE;
        };
        double avg = average(metrics, metric);
        if (!InstanceMetrics.known(avg) || !rule.firesAt(avg)) {
            return null;
        }
        String key = rule.metric().key();
        String numbers = String.format(Locale.ROOT, "avg %s %s %s %s", metric.name().toLowerCase(Locale.ROOT),
                num(avg), rule.metric().firesAbove() ? ">" : "<", num(rule.threshold()));
        if (rule.action() == ScalingRule.Action.DOWN) {
            if (rule.metric() == ScalingRule.Metric.CPU_LOW) {
                int count = (int) Math.ceil(ready * avg / s.cpuThreshold() - 1e-9);
                return new Proposal(count, key, numbers + String.format(Locale.ROOT, ": ceil(%d × %s / %s) = %d",
                        ready, num(avg), num(s.cpuThreshold()), count));
            }
            return new Proposal(current - 1, key, numbers + ": one fewer");
        }
        if (rule.metric() == ScalingRule.Metric.CPU_LOW) {
            return new Proposal(current + 1, key, numbers + ": one more");
        }
        double ratio = Math.min(2, avg / rule.threshold());
        int count = Math.max(current + 1, (int) Math.ceil(ready * ratio - 1e-9));
        return new Proposal(count, key, numbers + String.format(Locale.ROOT, ": max(%d + 1, ceil(%d × %s)) = %d",
                current, ready, num(ratio), count));
    }

    private static String num(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : String.format(Locale.ROOT, "%.1f", d);
    }
}
