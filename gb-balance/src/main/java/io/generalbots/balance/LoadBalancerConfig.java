package io.generalbots.balance;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import io.generalbots.scaling.Checks;
import io.generalbots.scaling.health.HealthSettings;

/**
 * The immutable configuration of a {@link LoadBalancer}, named and defaulted as Caddy's
 * {@code reverse_proxy} options: {@code lb_policy}, {@code lb_try_duration},
 * {@code lb_try_interval}, the active checks {@code health_uri}, {@code health_interval},
 * {@code health_timeout}, {@code health_status}, {@code health_passes}, {@code health_fails}, and
 * the passive ones {@code fail_duration}, {@code max_fails}, {@code unhealthy_status},
 * {@code unhealthy_latency}. Built with {@link #custom()}; every setter checks its value and
 * nothing is silently corrected.
 *
 * <pre>{@code
 * LoadBalancerConfig config = LoadBalancerConfig.custom()
 *         .policy(LoadBalancingPolicy.peakEwma())
 *         .tryDuration(Duration.ofSeconds(5))
 *         .healthUri("/api/health")
 *         .healthInterval(Duration.ofSeconds(10))
 *         .failDuration(Duration.ofSeconds(30))
 *         .build();
 * }</pre>
 */
public final class LoadBalancerConfig {

    private static final LoadBalancerConfig DEFAULTS = custom().build();

    private final LoadBalancingPolicy policy;
    private final Duration tryDuration;
    private final Duration tryInterval;
    private final String healthUri;
    private final Duration healthInterval;
    private final Duration healthTimeout;
    private final int healthStatus;
    private final int healthPasses;
    private final int healthFails;
    private final Duration failDuration;
    private final int maxFails;
    private final Set<Integer> unhealthyStatus;
    private final Duration unhealthyLatency;
    private final Duration ewmaDecay;
    private final Duration errorPenalty;

    private LoadBalancerConfig(Builder b) {
        this.policy = b.policy;
        this.tryDuration = b.tryDuration;
        this.tryInterval = b.tryInterval;
        this.healthUri = b.healthUri;
        this.healthInterval = b.healthInterval;
        this.healthTimeout = b.healthTimeout;
        this.healthStatus = b.healthStatus;
        this.healthPasses = b.healthPasses;
        this.healthFails = b.healthFails;
        this.failDuration = b.failDuration;
        this.maxFails = b.maxFails;
        this.unhealthyStatus = Set.copyOf(b.unhealthyStatus);
        this.unhealthyLatency = b.unhealthyLatency;
        this.ewmaDecay = b.ewmaDecay;
        this.errorPenalty = b.errorPenalty;
    }

    /**
     * Caddy's defaults: {@code random}, no retries, no active or passive health checks.
     *
     * @return the default configuration
     */
    public static LoadBalancerConfig ofDefaults() {
        return DEFAULTS;
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a builder
     */
    public static Builder custom() {
        return new Builder();
    }

    /**
     * A builder starting from a configuration.
     *
     * @param config the configuration to copy
     * @return a builder
     */
    public static Builder from(LoadBalancerConfig config) {
        return new Builder(config);
    }

    /**
     * A builder starting from the defaults with a file's {@code scale-lb-*} settings applied.
     *
     * @param settings the settings, {@code BalancerSettings.from(config)}
     * @return the builder
     */
    public static Builder from(BalancerSettings settings) {
        return custom().policy(settings.policy());
    }

    /** @return the selection policy ({@code lb_policy}) */
    public LoadBalancingPolicy policy() {
        return policy;
    }

    /** @return how long to keep retrying idempotent calls on other upstreams ({@code lb_try_duration}); 0 = no retry */
    public Duration tryDuration() {
        return tryDuration;
    }

    /** @return the wait between two tries ({@code lb_try_interval}) */
    public Duration tryInterval() {
        return tryInterval;
    }

    /** @return the active health check path ({@code health_uri}), or null when active checks are off */
    public String healthUri() {
        return healthUri;
    }

    /** @return the time between two active check rounds ({@code health_interval}) */
    public Duration healthInterval() {
        return healthInterval;
    }

    /** @return how long one active check may take ({@code health_timeout}) */
    public Duration healthTimeout() {
        return healthTimeout;
    }

    /**
     * The expected status of an active check ({@code health_status}): an exact code (100..599) or
     * a class 1..5 meaning {@code 1xx}..{@code 5xx}.
     *
     * @return the expected status
     */
    public int healthStatus() {
        return healthStatus;
    }

    /** @return consecutive passing checks that make an unhealthy upstream healthy ({@code health_passes}) */
    public int healthPasses() {
        return healthPasses;
    }

    /** @return consecutive failing checks that make a healthy upstream unhealthy ({@code health_fails}) */
    public int healthFails() {
        return healthFails;
    }

    /** @return how long a failure is remembered ({@code fail_duration}); 0 = passive checks off */
    public Duration failDuration() {
        return failDuration;
    }

    /** @return failures within {@code fail_duration} that mark an upstream down ({@code max_fails}) */
    public int maxFails() {
        return maxFails;
    }

    /** @return response codes that count as failures ({@code unhealthy_status}) */
    public Set<Integer> unhealthyStatus() {
        return unhealthyStatus;
    }

    /** @return responses slower than this count as failures ({@code unhealthy_latency}); 0 = off */
    public Duration unhealthyLatency() {
        return unhealthyLatency;
    }

    /** @return the decay time τ of the peak-EWMA latency estimate */
    public Duration ewmaDecay() {
        return ewmaDecay;
    }

    /** @return the least latency a failed call counts as in the peak-EWMA estimate */
    public Duration errorPenalty() {
        return errorPenalty;
    }

    /**
     * Whether a status satisfies {@link #healthStatus()}.
     *
     * @param status an HTTP status
     * @return true if the check passes
     */
    public boolean isExpectedHealthStatus(int status) {
        return healthStatus < 10 ? status / 100 == healthStatus : status == healthStatus;
    }

    @Override
    public String toString() {
        return "LoadBalancerConfig{lb_policy " + policy + ", lb_try_duration " + tryDuration
                + ", lb_try_interval " + tryInterval + ", health_uri " + healthUri + ", health_interval "
                + healthInterval + ", health_timeout " + healthTimeout + ", health_status "
                + (healthStatus < 10 ? healthStatus + "xx" : String.valueOf(healthStatus)) + ", health_passes "
                + healthPasses + ", health_fails " + healthFails + ", fail_duration " + failDuration
                + ", max_fails " + maxFails + ", unhealthy_status " + new TreeSet<>(unhealthyStatus)
                + ", unhealthy_latency " + unhealthyLatency + "}";
    }

    /** Builds a {@link LoadBalancerConfig}; each setter validates at once. */
    public static final class Builder {
        private LoadBalancingPolicy policy = LoadBalancingPolicy.random();
        private Duration tryDuration = Duration.ZERO;
        private Duration tryInterval = Duration.ofMillis(250);
        private String healthUri;
        private Duration healthInterval = Duration.ofSeconds(30);
        private Duration healthTimeout = Duration.ofSeconds(5);
        private int healthStatus = 2;
        private int healthPasses = 1;
        private int healthFails = 1;
        private Duration failDuration = Duration.ZERO;
        private int maxFails = 1;
        private Set<Integer> unhealthyStatus = Set.of();
        private Duration unhealthyLatency = Duration.ZERO;
        private Duration ewmaDecay = Duration.ofSeconds(10);
        private Duration errorPenalty = Duration.ofSeconds(5);

        private Builder() {
        }

        private Builder(LoadBalancerConfig c) {
            policy = c.policy;
            tryDuration = c.tryDuration;
            tryInterval = c.tryInterval;
            healthUri = c.healthUri;
            healthInterval = c.healthInterval;
            healthTimeout = c.healthTimeout;
            healthStatus = c.healthStatus;
            healthPasses = c.healthPasses;
            healthFails = c.healthFails;
            failDuration = c.failDuration;
            maxFails = c.maxFails;
            unhealthyStatus = c.unhealthyStatus;
            unhealthyLatency = c.unhealthyLatency;
            ewmaDecay = c.ewmaDecay;
            errorPenalty = c.errorPenalty;
        }

        /**
         * The selection policy ({@code lb_policy}); default {@code random}, as Caddy.
         *
         * @param policy the policy
         * @return this
         */
        public Builder policy(LoadBalancingPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * How long {@link LoadBalancer#execute} keeps trying other upstreams ({@code lb_try_duration}).
         *
         * @param d zero (no retries) or positive
         * @return this
         */
        public Builder tryDuration(Duration d) {
            this.tryDuration = nonNegative("lb_try_duration", d);
            return this;
        }

        /**
         * The wait between two tries ({@code lb_try_interval}, default 250 ms).
         *
         * @param d zero or positive
         * @return this
         */
        public Builder tryInterval(Duration d) {
            this.tryInterval = nonNegative("lb_try_interval", d);
            return this;
        }

        /**
         * Turns on active health checks against this path ({@code health_uri}).
         *
         * @param uri a path starting with {@code /}, or null for no active checks
         * @return this
         */
        public Builder healthUri(String uri) {
            Checks.require(uri == null || uri.startsWith("/") && uri.chars().noneMatch(c -> c <= ' '),
                    "health_uri", "a path starting with / without spaces", uri);
            this.healthUri = uri;
            return this;
        }

        /**
         * The time between two active check rounds ({@code health_interval}, default 30 s).
         *
         * @param d positive
         * @return this
         */
        public Builder healthInterval(Duration d) {
            this.healthInterval = Checks.requirePositive("health_interval", d);
            return this;
        }

        /**
         * How long one active check may take ({@code health_timeout}, default 5 s).
         *
         * @param d positive
         * @return this
         */
        public Builder healthTimeout(Duration d) {
            this.healthTimeout = Checks.requirePositive("health_timeout", d);
            return this;
        }

        /**
         * The expected status ({@code health_status}): {@code 200}, {@code 2xx}, ... (default 2xx).
         *
         * @param status a three-digit code, or a digit 1..5 followed by {@code xx}
         * @return this
         */
        public Builder healthStatus(String status) {
            Objects.requireNonNull(status, "health_status");
            int parsed = -1;
            if (status.matches("[1-5]xx")) {
                parsed = status.charAt(0) - '0';
            } else if (status.matches("[1-5][0-9][0-9]")) {
                parsed = Integer.parseInt(status);
            }
            Checks.require(parsed > 0, "health_status", "a status code 100..599 or a class 1xx..5xx", "\"" + status + "\"");
            this.healthStatus = parsed;
            return this;
        }

        /**
         * Consecutive passing checks that bring an unhealthy upstream back ({@code health_passes}, default 1).
         *
         * @param n 1..100
         * @return this
         */
        public Builder healthPasses(int n) {
            this.healthPasses = Checks.requireRange("health_passes", n, 1, 100);
            return this;
        }

        /**
         * Consecutive failing checks that mark a healthy upstream down ({@code health_fails}, default 1).
         *
         * @param n 1..100
         * @return this
         */
        public Builder healthFails(int n) {
            this.healthFails = Checks.requireRange("health_fails", n, 1, 100);
            return this;
        }

        /**
         * Turns on passive checks: how long a failure is remembered ({@code fail_duration}).
         *
         * @param d zero (off) or positive
         * @return this
         */
        public Builder failDuration(Duration d) {
            this.failDuration = nonNegative("fail_duration", d);
            return this;
        }

        /**
         * Failures within {@code fail_duration} that mark an upstream down ({@code max_fails}, default 1).
         *
         * @param n 1..1000
         * @return this
         */
        public Builder maxFails(int n) {
            this.maxFails = Checks.requireRange("max_fails", n, 1, 1000);
            return this;
        }

        /**
         * Response codes that count as failures ({@code unhealthy_status}), e.g. 502, 503, 504.
         *
         * @param codes codes 100..599
         * @return this
         */
        public Builder unhealthyStatus(Integer... codes) {
            for (Integer code : codes) {
                Checks.require(code != null && code >= 100 && code <= 599, "unhealthy_status",
                        "status codes from 100 to 599", code);
            }
            this.unhealthyStatus = Set.of(codes);
            return this;
        }

        /**
         * Responses slower than this count as failures ({@code unhealthy_latency}).
         *
         * @param d zero (off) or positive
         * @return this
         */
        public Builder unhealthyLatency(Duration d) {
            this.unhealthyLatency = nonNegative("unhealthy_latency", d);
            return this;
        }

        /**
         * The decay time τ of the peak-EWMA latency estimate (default 10 s, as Finagle).
         *
         * @param d positive
         * @return this
         */
        public Builder ewmaDecay(Duration d) {
            this.ewmaDecay = Checks.requirePositive("ewma_decay", d);
            return this;
        }

        /**
         * The least latency a failed call counts as in the peak-EWMA estimate (default 5 s), so that
         * an upstream answering fast errors does not look fast. Set it above the slowest latency
         * of a healthy upstream.
         *
         * @param d positive
         * @return this
         */
        public Builder errorPenalty(Duration d) {
            this.errorPenalty = Checks.requirePositive("error_penalty", d);
            return this;
        }

        /**
         * Takes the active-check settings from {@code config.csv}'s {@code health-*} keys:
         * {@code health-endpoint} as {@code health_uri} (when {@code health-enabled}),
         * {@code health-interval} and {@code health-timeout}.
         *
         * @param health the settings
         * @return this
         */
        public Builder health(HealthSettings health) {
            healthUri(health.enabled() ? health.endpoint() : null);
            healthInterval(health.interval());
            healthTimeout(health.timeout());
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the configuration
         * @throws IllegalArgumentException if health_timeout exceeds health_interval
         */
        public LoadBalancerConfig build() {
            Checks.require(healthTimeout.compareTo(healthInterval) <= 0, "health_timeout",
                    "at most health_interval (" + healthInterval + ")", healthTimeout);
            return new LoadBalancerConfig(this);
        }

        private static Duration nonNegative(String name, Duration d) {
            Objects.requireNonNull(d, name);
            Checks.require(!d.isNegative(), name, "zero or positive", d);
            return d;
        }
    }
}
