package io.generalbots.autoscale;

import java.util.Objects;

/**
 * A custom scaling rule of {@code config.csv} ({@code scale-rule-*}): when the metric crosses the
 * threshold, propose the action.
 *
 * @param metric    which metric the rule watches
 * @param threshold the threshold, in the metric's unit (ms, %, queued items per instance)
 * @param action    what the rule proposes when it fires
 */
public record ScalingRule(Metric metric, double threshold, Action action) {

    /** What a rule watches, and on which side of the threshold it fires. */
    public enum Metric {
        /** Average response time in milliseconds; fires above the threshold. */
        RESPONSE_TIME("scale-rule-response-time", true),
        /** Average CPU %; fires below the threshold. */
        CPU_LOW("scale-rule-cpu-low", false),
        /** Queue depth per instance; fires above the threshold. */
        QUEUE_DEPTH("scale-rule-queue-depth", true);

        private final String key;
        private final boolean above;

        Metric(String key, boolean above) {
            this.key = key;
            this.above = above;
        }

        /**
         * The config key of the threshold.
         *
         * @return the key
         */
        public String key() {
            return key;
        }

        /**
         * Whether the rule fires above the threshold (else below).
         *
         * @return true for above
         */
        public boolean firesAbove() {
            return above;
        }
    }

    /** What a rule proposes. */
    public enum Action {
        /** Add instances. */
        UP,
        /** Remove instances. */
        DOWN
    }

    /**
     * Creates a rule.
     *
     * @param metric    the metric
     * @param threshold the threshold
     * @param action    the action
     */
    public ScalingRule {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(action, "action");
    }

    /**
     * Whether the rule fires for a value of its metric.
     *
     * @param value the metric's current value
     * @return true if the value is past the threshold
     */
    public boolean firesAt(double value) {
        return metric.firesAbove() ? value > threshold : value < threshold;
    }
}
