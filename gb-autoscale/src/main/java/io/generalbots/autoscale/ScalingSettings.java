package io.generalbots.autoscale;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigReader;

/**
 * The auto-scaling settings of {@code config.csv} ({@code scale-*}), with the seed chapter's
 * defaults.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>scale-enabled</td><td>false</td><td>enable auto-scaling</td></tr>
 *   <tr><td>scale-min-instances</td><td>1</td><td>minimum container count</td></tr>
 *   <tr><td>scale-max-instances</td><td>10</td><td>maximum container count</td></tr>
 *   <tr><td>scale-cpu-threshold</td><td>70</td><td>CPU % to trigger scale-up</td></tr>
 *   <tr><td>scale-memory-threshold</td><td>80</td><td>memory % to trigger scale-up</td></tr>
 *   <tr><td>scale-request-threshold</td><td>1000</td><td>requests/min per instance to trigger scale-up</td></tr>
 *   <tr><td>scale-cooldown-seconds</td><td>300</td><td>wait between scaling events</td></tr>
 *   <tr><td>scale-check-interval</td><td>30</td><td>seconds between metric checks</td></tr>
 *   <tr><td>scale-down-stabilization-seconds</td><td>300</td><td>a scale-down goes only to the highest
 *       recommendation of this window (Kubernetes HPA's default)</td></tr>
 *   <tr><td>scale-drain-seconds</td><td>30</td><td>how long a removed instance may finish its requests
 *       in flight before it is destroyed (the seed's {@code sleep 30})</td></tr>
 * </table>
 *
 * <p>Custom rules: {@code scale-rule-response-time} (ms) with {@code scale-rule-response-action}
 * (default {@code up}), {@code scale-rule-cpu-low} (%) with {@code scale-rule-cpu-low-action}
 * (default {@code down}), {@code scale-rule-queue-depth} with {@code scale-rule-queue-action}
 * (default {@code up}). The regular spellings {@code scale-rule-response-time-action} and
 * {@code scale-rule-queue-depth-action} are accepted too; giving both spellings is an error.
 *
 * @param enabled            whether the engine acts
 * @param minInstances       the fewest instances
 * @param maxInstances       the most instances
 * @param cpuThreshold       target average CPU %
 * @param memoryThreshold    target average memory %
 * @param requestThreshold   target requests per minute per instance
 * @param cooldown           least time between two scaling events
 * @param checkInterval      time between two metric checks
 * @param rules              the custom rules, in the order response time, CPU low, queue depth
 * @param downStabilization  the scale-down stabilization window
 * @param drainTimeout       the drain deadline
 */
public record ScalingSettings(boolean enabled, int minInstances, int maxInstances, double cpuThreshold,
                              double memoryThreshold, long requestThreshold, Duration cooldown,
                              Duration checkInterval, List<ScalingRule> rules, Duration downStabilization,
                              Duration drainTimeout) {

    private static final Map<String, ScalingRule.Action> ACTIONS =
            Map.of("up", ScalingRule.Action.UP, "down", ScalingRule.Action.DOWN);

    /**
     * Creates settings; the values are assumed valid (use {@link #from(BotConfig)} for a file).
     *
     * @param enabled          whether the engine acts
     * @param minInstances     the fewest instances
     * @param maxInstances     the most instances
     * @param cpuThreshold     target average CPU %
     * @param memoryThreshold  target average memory %
     * @param requestThreshold target requests per minute per instance
     * @param cooldown         least time between two scaling events
     * @param checkInterval    time between two metric checks
     * @param rules            the custom rules
     * @param downStabilization the scale-down stabilization window
     * @param drainTimeout     the drain deadline
     */
    public ScalingSettings {
        Objects.requireNonNull(cooldown, "cooldown");
        Objects.requireNonNull(checkInterval, "checkInterval");
        Objects.requireNonNull(downStabilization, "downStabilization");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        rules = List.copyOf(rules);
    }

    /**
     * The settings of a file, or every problem of the file's {@code scale-*} keys at once.
     *
     * @param config the configuration
     * @return the settings
     * @throws io.generalbots.scaling.config.ConfigException if a value is bad
     */
    public static ScalingSettings from(BotConfig config) {
        ConfigReader reader = config.reader();
        ScalingSettings settings = read(reader);
        reader.throwIfInvalid();
        return settings;
    }

    /**
     * The seed's defaults.
     *
     * @return the default settings
     */
    public static ScalingSettings ofDefaults() {
        return from(BotConfig.ofDefaults());
    }

    /**
     * Reads the settings, recording problems in the reader instead of throwing.
     *
     * @param r the reader
     * @return the settings (with defaults in place of bad values)
     */
    public static ScalingSettings read(ConfigReader r) {
        boolean enabled = r.getBoolean("scale-enabled");
        int min = r.getInt("scale-min-instances", 1, 1000);
        int max = r.getInt("scale-max-instances", 1, 1000);
        if (min > max && !r.hasErrors("scale-min-instances") && !r.hasErrors("scale-max-instances")) {
            // point at the line the user wrote: the key that is set
            if (r.isSet("scale-min-instances")) {
                r.reject("scale-min-instances", "at most scale-max-instances (" + max + ")");
            } else {
                r.reject("scale-max-instances", "at least scale-min-instances (" + min + ")");
            }
        }
        double cpu = r.getDouble("scale-cpu-threshold", 1, 100);
        double memory = r.getDouble("scale-memory-threshold", 1, 100);
        long requests = r.getLong("scale-request-threshold", 1, Long.MAX_VALUE / 2);
        Duration cooldown = r.getDuration("scale-cooldown-seconds", Duration.ZERO, Duration.ofDays(1));
        Duration interval = r.getDuration("scale-check-interval", Duration.ofSeconds(1), Duration.ofDays(1));
        Duration stabilization = r.getDuration("scale-down-stabilization-seconds", Duration.ZERO, Duration.ofDays(1));
        Duration drain = r.getDuration("scale-drain-seconds", Duration.ZERO, Duration.ofHours(1));

        List<ScalingRule> rules = new ArrayList<>();
        if (r.isSet("scale-rule-response-time")) {
            double ms = r.getDouble("scale-rule-response-time", 1, 3_600_000);
            rules.add(new ScalingRule(ScalingRule.Metric.RESPONSE_TIME, ms,
                    action(r, "scale-rule-response-action", "scale-rule-response-time-action", ScalingRule.Action.UP)));
        }
        if (r.isSet("scale-rule-cpu-low")) {
            double pct = r.getDouble("scale-rule-cpu-low", 1, 100);
            ScalingRule.Action action = action(r, "scale-rule-cpu-low-action", null, ScalingRule.Action.DOWN);
            if (action == ScalingRule.Action.DOWN && pct >= cpu) {
                r.reject("scale-rule-cpu-low", "below scale-cpu-threshold (" + trim(cpu) + "), or the engine would flap");
            }
            rules.add(new ScalingRule(ScalingRule.Metric.CPU_LOW, pct, action));
        }
        if (r.isSet("scale-rule-queue-depth")) {
            long depth = r.getLong("scale-rule-queue-depth", 1, Long.MAX_VALUE / 2);
            rules.add(new ScalingRule(ScalingRule.Metric.QUEUE_DEPTH, depth,
                    action(r, "scale-rule-queue-action", "scale-rule-queue-depth-action", ScalingRule.Action.UP)));
        }
        for (String orphan : List.of("scale-rule-response-action", "scale-rule-response-time-action",
                "scale-rule-cpu-low-action", "scale-rule-queue-action", "scale-rule-queue-depth-action")) {
            String ruleKey = orphan.startsWith("scale-rule-response") ? "scale-rule-response-time"
                    : orphan.startsWith("scale-rule-cpu") ? "scale-rule-cpu-low" : "scale-rule-queue-depth";
            if (r.isSet(orphan) && !r.isSet(ruleKey)) {
                r.warn(orphan, orphan + " has no effect without " + ruleKey);
            }
        }
        return new ScalingSettings(enabled, min, max, cpu, memory, requests, cooldown, interval, rules,
                stabilization, drain);
    }

    /**
     * A copy with auto-scaling switched on or off (e.g. for the simulator, which runs the engine
     * whatever {@code scale-enabled} says).
     *
     * @param on whether the engine acts
     * @return the copy
     */
    public ScalingSettings withEnabled(boolean on) {
        return new ScalingSettings(on, minInstances, maxInstances, cpuThreshold, memoryThreshold, requestThreshold,
                cooldown, checkInterval, rules, downStabilization, drainTimeout);
    }

    /**
     * The rule watching a metric, if configured.
     *
     * @param metric the metric
     * @return the rule, or null
     */
    public ScalingRule rule(ScalingRule.Metric metric) {
        for (ScalingRule rule : rules) {
            if (rule.metric() == metric) {
                return rule;
            }
        }
        return null;
    }

    private static ScalingRule.Action action(ConfigReader r, String key, String otherSpelling,
                                             ScalingRule.Action fallback) {
        if (otherSpelling != null && r.isSet(otherSpelling)) {
            if (r.isSet(key)) {
                r.error(otherSpelling, otherSpelling + " and " + key + " are the same setting; given on line "
                        + r.lineOf(key) + " and on line " + r.lineOf(otherSpelling));
            }
            key = otherSpelling;
        }
        if (!r.isSet(key)) {
            return fallback;
        }
        return r.getChoice(key, ACTIONS);
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
