package io.generalbots.autoscale;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.generalbots.autoscale.instance.InstanceManager;
import io.generalbots.autoscale.instance.InstanceManagerProvider;
import io.generalbots.scaling.Plugins;
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
 *   <tr><td>scale-instance-manager</td><td>lxc</td><td>who launches and removes instances: {@code lxc}, or
 *       the name of an {@link InstanceManagerProvider} on the class path
 *       ({@link InstanceManager#of(ScalingSettings)})</td></tr>
 * </table>
 *
 * <p>Custom rules: {@code scale-rule-response-time} (ms) with {@code scale-rule-response-action}
 * (default {@code up}), {@code scale-rule-cpu-low} (%) with {@code scale-rule-cpu-low-action}
 * (default {@code down}), {@code scale-rule-queue-depth} with {@code scale-rule-queue-action}
 * (default {@code up}). The regular spellings {@code scale-rule-response-time-action} and
 * {@code scale-rule-queue-depth-action} are accepted too; giving both spellings is an error.
 *
 * <p>An immutable value: {@link #from(BotConfig)} reads a file, {@link #custom()} and
 * {@link #toBuilder()} make settings in code (adding a key adds an accessor and a builder method,
 * so callers are not broken).
 */
public final class ScalingSettings {

    private static final Map<String, ScalingRule.Action> ACTIONS =
            Map.of("up", ScalingRule.Action.UP, "down", ScalingRule.Action.DOWN);

    private final boolean enabled;
    private final int minInstances;
    private final int maxInstances;
    private final double cpuThreshold;
    private final double memoryThreshold;
    private final long requestThreshold;
    private final Duration cooldown;
    private final Duration checkInterval;
    private final List<ScalingRule> rules;
    private final Duration downStabilization;
    private final Duration drainTimeout;
    private final String instanceManager;

    private ScalingSettings(Builder b) {
        this.enabled = b.enabled;
        this.minInstances = b.minInstances;
        this.maxInstances = b.maxInstances;
        this.cpuThreshold = b.cpuThreshold;
        this.memoryThreshold = b.memoryThreshold;
        this.requestThreshold = b.requestThreshold;
        this.cooldown = Objects.requireNonNull(b.cooldown, "cooldown");
        this.checkInterval = Objects.requireNonNull(b.checkInterval, "checkInterval");
        this.rules = List.copyOf(b.rules);
        this.downStabilization = Objects.requireNonNull(b.downStabilization, "downStabilization");
        this.drainTimeout = Objects.requireNonNull(b.drainTimeout, "drainTimeout");
        this.instanceManager = Objects.requireNonNull(b.instanceManager, "instanceManager");
    }

    /**
     * A builder pre-filled with the defaults ({@link #ofDefaults()}), for settings made in code or
     * in tests; values are taken as given (a file's are checked by {@link #from(BotConfig)}).
     *
     * @return the builder
     */
    public static Builder custom() {
        return ofDefaults().toBuilder();
    }

    /**
     * A builder pre-filled with these settings, to change a few of them.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Whether the engine acts ({@code scale-enabled}).
     *
     * @return whether the engine acts ({@code scale-enabled})
     */
    public boolean enabled() {
        return enabled;
    }

    /**
     * The fewest instances ({@code scale-min-instances}).
     *
     * @return the fewest instances ({@code scale-min-instances})
     */
    public int minInstances() {
        return minInstances;
    }

    /**
     * The most instances ({@code scale-max-instances}).
     *
     * @return the most instances ({@code scale-max-instances})
     */
    public int maxInstances() {
        return maxInstances;
    }

    /**
     * The target average CPU % ({@code scale-cpu-threshold}).
     *
     * @return the target average CPU % ({@code scale-cpu-threshold})
     */
    public double cpuThreshold() {
        return cpuThreshold;
    }

    /**
     * The target average memory % ({@code scale-memory-threshold}).
     *
     * @return the target average memory % ({@code scale-memory-threshold})
     */
    public double memoryThreshold() {
        return memoryThreshold;
    }

    /**
     * The target requests per minute per instance ({@code scale-request-threshold}).
     *
     * @return the target requests per minute per instance ({@code scale-request-threshold})
     */
    public long requestThreshold() {
        return requestThreshold;
    }

    /**
     * The least time between two scaling events ({@code scale-cooldown-seconds}).
     *
     * @return the least time between two scaling events ({@code scale-cooldown-seconds})
     */
    public Duration cooldown() {
        return cooldown;
    }

    /**
     * The time between two metric checks ({@code scale-check-interval}).
     *
     * @return the time between two metric checks ({@code scale-check-interval})
     */
    public Duration checkInterval() {
        return checkInterval;
    }

    /**
     * The custom rules, in the order response time, CPU low, queue depth.
     *
     * @return the custom rules, in the order response time, CPU low, queue depth
     */
    public List<ScalingRule> rules() {
        return rules;
    }

    /**
     * The scale-down stabilization window ({@code scale-down-stabilization-seconds}).
     *
     * @return the scale-down stabilization window ({@code scale-down-stabilization-seconds})
     */
    public Duration downStabilization() {
        return downStabilization;
    }

    /**
     * The drain deadline ({@code scale-drain-seconds}).
     *
     * @return the drain deadline ({@code scale-drain-seconds})
     */
    public Duration drainTimeout() {
        return drainTimeout;
    }

    /**
     * The instance manager {@code scale-instance-manager} names: {@code lxc}, or the name of an
     * {@link InstanceManagerProvider}; {@link InstanceManager#of(ScalingSettings)} builds it.
     *
     * @return the name
     */
    public String instanceManager() {
        return instanceManager;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ScalingSettings that)) {
            return false;
        }
        return enabled == that.enabled
                && minInstances == that.minInstances
                && maxInstances == that.maxInstances
                && Double.compare(cpuThreshold, that.cpuThreshold) == 0
                && Double.compare(memoryThreshold, that.memoryThreshold) == 0
                && requestThreshold == that.requestThreshold
                && cooldown.equals(that.cooldown)
                && checkInterval.equals(that.checkInterval)
                && rules.equals(that.rules)
                && downStabilization.equals(that.downStabilization)
                && drainTimeout.equals(that.drainTimeout)
                && instanceManager.equals(that.instanceManager);
    }

    @Override
    public int hashCode() {
        return Objects.hash(enabled, minInstances, maxInstances, cpuThreshold, memoryThreshold, requestThreshold,
                cooldown, checkInterval, rules, downStabilization, drainTimeout, instanceManager);
    }

    /** The record-style text of the settings, e.g. {@code ScalingSettings[enabled=..., ...]}. */
    @Override
    public String toString() {
        return "ScalingSettings[enabled=" + enabled + ", minInstances=" + minInstances
                + ", maxInstances=" + maxInstances + ", cpuThreshold=" + cpuThreshold
                + ", memoryThreshold=" + memoryThreshold + ", requestThreshold=" + requestThreshold
                + ", cooldown=" + cooldown + ", checkInterval=" + checkInterval + ", rules=" + rules
                + ", downStabilization=" + downStabilization + ", drainTimeout=" + drainTimeout
                + ", instanceManager=" + instanceManager + "]";
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
        String manager = r.find("scale-instance-manager").orElse("lxc");
        if (manager.equalsIgnoreCase("lxc")) {
            manager = "lxc";
        } else {
            String name = manager;
            manager = name.isEmpty() ? null : Plugins.find(InstanceManagerProvider.class, InstanceManagerProvider::name,
                    name).map(InstanceManagerProvider::name).orElse(null);
            if (manager == null) {
                r.reject("scale-instance-manager", instanceManagerExpectation(
                        Plugins.names(InstanceManagerProvider.class, InstanceManagerProvider::name)));
                manager = "lxc";
            }
        }

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
        return new Builder().enabled(enabled).minInstances(min).maxInstances(max).cpuThreshold(cpu)
                .memoryThreshold(memory).requestThreshold(requests).cooldown(cooldown).checkInterval(interval)
                .rules(rules).downStabilization(stabilization).drainTimeout(drain).instanceManager(manager).build();
    }

    /**
     * What {@code scale-instance-manager} must be: {@code lxc}, and, when there are providers on
     * the class path, {@code or an InstanceManagerProvider: NAME, ...}.
     */
    static String instanceManagerExpectation(List<String> providers) {
        return "lxc" + (providers.isEmpty() ? ""
                : " or an InstanceManagerProvider: " + String.join(", ", providers));
    }

    /**
     * A copy with auto-scaling switched on or off (e.g. for the simulator, which runs the engine
     * whatever {@code scale-enabled} says).
     *
     * @param on whether the engine acts
     * @return the copy
     */
    public ScalingSettings withEnabled(boolean on) {
        return toBuilder().enabled(on).build();
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

    /** Builds {@link ScalingSettings}: start from {@link #custom()} or {@link #toBuilder()}. */
    public static final class Builder {
        private boolean enabled;
        private int minInstances;
        private int maxInstances;
        private double cpuThreshold;
        private double memoryThreshold;
        private long requestThreshold;
        private Duration cooldown;
        private Duration checkInterval;
        private List<ScalingRule> rules;
        private Duration downStabilization;
        private Duration drainTimeout;
        private String instanceManager;

        private Builder() {
        }

        private Builder(ScalingSettings s) {
            this.enabled = s.enabled;
            this.minInstances = s.minInstances;
            this.maxInstances = s.maxInstances;
            this.cpuThreshold = s.cpuThreshold;
            this.memoryThreshold = s.memoryThreshold;
            this.requestThreshold = s.requestThreshold;
            this.cooldown = s.cooldown;
            this.checkInterval = s.checkInterval;
            this.rules = s.rules;
            this.downStabilization = s.downStabilization;
            this.drainTimeout = s.drainTimeout;
            this.instanceManager = s.instanceManager;
        }

        /**
         * Sets whether the engine acts ({@code scale-enabled}).
         *
         * @param enabled the value
         * @return this builder
         */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /**
         * Sets the fewest instances ({@code scale-min-instances}).
         *
         * @param minInstances the value
         * @return this builder
         */
        public Builder minInstances(int minInstances) {
            this.minInstances = minInstances;
            return this;
        }

        /**
         * Sets the most instances ({@code scale-max-instances}).
         *
         * @param maxInstances the value
         * @return this builder
         */
        public Builder maxInstances(int maxInstances) {
            this.maxInstances = maxInstances;
            return this;
        }

        /**
         * Sets the target average CPU % ({@code scale-cpu-threshold}).
         *
         * @param cpuThreshold the value
         * @return this builder
         */
        public Builder cpuThreshold(double cpuThreshold) {
            this.cpuThreshold = cpuThreshold;
            return this;
        }

        /**
         * Sets the target average memory % ({@code scale-memory-threshold}).
         *
         * @param memoryThreshold the value
         * @return this builder
         */
        public Builder memoryThreshold(double memoryThreshold) {
            this.memoryThreshold = memoryThreshold;
            return this;
        }

        /**
         * Sets the target requests per minute per instance ({@code scale-request-threshold}).
         *
         * @param requestThreshold the value
         * @return this builder
         */
        public Builder requestThreshold(long requestThreshold) {
            this.requestThreshold = requestThreshold;
            return this;
        }

        /**
         * Sets the least time between two scaling events ({@code scale-cooldown-seconds}).
         *
         * @param cooldown the value
         * @return this builder
         */
        public Builder cooldown(Duration cooldown) {
            this.cooldown = cooldown;
            return this;
        }

        /**
         * Sets the time between two metric checks ({@code scale-check-interval}).
         *
         * @param checkInterval the value
         * @return this builder
         */
        public Builder checkInterval(Duration checkInterval) {
            this.checkInterval = checkInterval;
            return this;
        }

        /**
         * Sets the custom rules, in the order response time, CPU low, queue depth.
         *
         * @param rules the value
         * @return this builder
         */
        public Builder rules(List<ScalingRule> rules) {
            this.rules = rules;
            return this;
        }

        /**
         * Sets the scale-down stabilization window ({@code scale-down-stabilization-seconds}).
         *
         * @param downStabilization the value
         * @return this builder
         */
        public Builder downStabilization(Duration downStabilization) {
            this.downStabilization = downStabilization;
            return this;
        }

        /**
         * Sets the drain deadline ({@code scale-drain-seconds}).
         *
         * @param drainTimeout the value
         * @return this builder
         */
        public Builder drainTimeout(Duration drainTimeout) {
            this.drainTimeout = drainTimeout;
            return this;
        }

        /**
         * Sets the instance manager by the name {@code scale-instance-manager} takes: {@code lxc} or
         * an {@link InstanceManagerProvider}'s name.
         *
         * @param instanceManager the name
         * @return this builder
         */
        public Builder instanceManager(String instanceManager) {
            this.instanceManager = instanceManager;
            return this;
        }

        /**
         * Builds the settings.
         *
         * @return the settings
         */
        public ScalingSettings build() {
            return new ScalingSettings(this);
        }
    }
}
