package io.generalbots.autoscale.serving;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

import io.generalbots.scaling.Checks;
import io.generalbots.scaling.Ticker;

/**
 * The immutable settings of a {@link BotInstance}.
 *
 * <pre>{@code
 * InstanceConfig config = InstanceConfig.from(InstanceSettings.from(botConfig))   // config.csv
 *         .name("botserver-3")
 *         .queueDepth(() -> jobs.size())
 *         .build();
 * }</pre>
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>name</td><td>botserver</td><td>on every log line and event</td></tr>
 *   <tr><td>drainTimeout</td><td>30 s</td><td>{@code scale-drain-seconds}: how long requests in flight
 *       may take to finish once draining</td></tr>
 *   <tr><td>controlToken</td><td>none</td><td>{@code scale-control-token}; none: only direct loopback
 *       callers may use the control endpoint</td></tr>
 *   <tr><td>controlPath</td><td>/api/instance</td><td>the control endpoint; drain is
 *       {@code POST controlPath/drain}</td></tr>
 *   <tr><td>retryAfter</td><td>1 s</td><td>the {@code Retry-After} of the 503 a draining instance answers
 *       (whole seconds)</td></tr>
 *   <tr><td>meterWindow</td><td>60 s</td><td>the sliding window of the request meter, whole seconds
 *       1..60; {@code requests_per_min} is scaled to a minute</td></tr>
 *   <tr><td>queueDepth</td><td>none</td><td>what {@code queue_depth} reports: requests or jobs waiting</td></tr>
 *   <tr><td>ticker, clock</td><td>system</td><td>time of the meter and drain; event timestamps</td></tr>
 * </table>
 */
public final class InstanceConfig {

    static final String TOKEN_RULE = "16 to 512 characters of letters, digits and -._~+/=";

    private final String name;
    private final Duration drainTimeout;
    private final String controlToken;
    private final String controlPath;
    private final Duration retryAfter;
    private final Duration meterWindow;
    private final LongSupplier queueDepth;
    private final Ticker ticker;
    private final Clock clock;

    private InstanceConfig(Builder b) {
        this.name = b.name;
        this.drainTimeout = b.drainTimeout;
        this.controlToken = b.controlToken;
        this.controlPath = b.controlPath;
        this.retryAfter = b.retryAfter;
        this.meterWindow = b.meterWindow;
        this.queueDepth = b.queueDepth;
        this.ticker = b.ticker;
        this.clock = b.clock;
    }

    /**
     * The defaults.
     *
     * @return the defaults
     */
    public static InstanceConfig ofDefaults() {
        return custom().build();
    }

    /**
     * A builder starting from the defaults.
     *
     * @return the builder
     */
    public static Builder custom() {
        return new Builder();
    }

    /**
     * A builder starting from the settings of {@code config.csv}.
     *
     * @param settings the instance settings
     * @return the builder
     */
    public static Builder from(InstanceSettings settings) {
        Builder b = custom().drainTimeout(settings.drainTimeout());
        settings.controlToken().ifPresent(b::controlToken);
        return b;
    }

    /**
     * A builder starting from this configuration.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.drainTimeout = drainTimeout;
        b.controlToken = controlToken;
        b.controlPath = controlPath;
        b.retryAfter = retryAfter;
        b.meterWindow = meterWindow;
        b.queueDepth = queueDepth;
        b.ticker = ticker;
        b.clock = clock;
        return b;
    }

    /**
     * The name on log lines and events.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * How long requests in flight may take to finish once draining.
     *
     * @return the drain deadline
     */
    public Duration drainTimeout() {
        return drainTimeout;
    }

    /**
     * The shared control token, if any.
     *
     * @return the token
     */
    public Optional<String> controlToken() {
        return Optional.ofNullable(controlToken);
    }

    /**
     * The control endpoint's path, e.g. {@code /api/instance}.
     *
     * @return the path
     */
    public String controlPath() {
        return controlPath;
    }

    /**
     * The {@code Retry-After} of a draining instance's 503.
     *
     * @return whole seconds
     */
    public Duration retryAfter() {
        return retryAfter;
    }

    /**
     * The request meter's window.
     *
     * @return whole seconds, 1..60
     */
    public Duration meterWindow() {
        return meterWindow;
    }

    /**
     * The queue-depth supplier, if any.
     *
     * @return the supplier
     */
    public Optional<LongSupplier> queueDepth() {
        return Optional.ofNullable(queueDepth);
    }

    /**
     * The time source of the meter and the drain.
     *
     * @return the ticker
     */
    public Ticker ticker() {
        return ticker;
    }

    /**
     * The clock of event timestamps.
     *
     * @return the clock
     */
    public Clock clock() {
        return clock;
    }

    @Override
    public String toString() {
        return "InstanceConfig[name=" + name + ", drainTimeout=" + drainTimeout + ", controlToken="
                + (controlToken == null ? "none" : "****") + ", controlPath=" + controlPath + ", retryAfter="
                + retryAfter + ", meterWindow=" + meterWindow + ", queueDepth=" + (queueDepth == null ? "none" : "set")
                + "]";
    }

    /** Null when the token is acceptable, else what is wrong with it, without showing it. */
    static String tokenProblem(String token) {
        if (token.length() < 16 || token.length() > 512) {
            return token.length() + " characters";
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~+/=".indexOf(c) >= 0;
            if (!ok) {
                return "a token with a character out of that set at position " + (i + 1);
            }
        }
        return null;
    }

    /** Builds an {@link InstanceConfig}; every setter checks its argument. */
    public static final class Builder {
        private String name = "botserver";
        private Duration drainTimeout = Duration.ofSeconds(30);
        private String controlToken;
        private String controlPath = "/api/instance";
        private Duration retryAfter = Duration.ofSeconds(1);
        private Duration meterWindow = Duration.ofSeconds(60);
        private LongSupplier queueDepth;
        private Ticker ticker = Ticker.system();
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * The name on log lines and events (default {@code botserver}).
         *
         * @param name non-blank
         * @return this
         */
        public Builder name(String name) {
            Checks.require(name != null && !name.isBlank(), "name", "non-blank", name);
            this.name = name;
            return this;
        }

        /**
         * How long requests in flight may take to finish once draining ({@code scale-drain-seconds}).
         *
         * @param drainTimeout 0 to 1 hour
         * @return this
         */
        public Builder drainTimeout(Duration drainTimeout) {
            Objects.requireNonNull(drainTimeout, "drainTimeout");
            Checks.require(!drainTimeout.isNegative() && drainTimeout.compareTo(Duration.ofHours(1)) <= 0,
                    "drainTimeout", "from 0 to 1 hour", drainTimeout);
            this.drainTimeout = drainTimeout;
            return this;
        }

        /**
         * The shared token the control endpoint requires ({@code scale-control-token}); with it,
         * loopback callers need it too.
         *
         * @param token 16 to 512 characters of letters, digits and {@code -._~+/=}
         * @return this
         */
        public Builder controlToken(String token) {
            Objects.requireNonNull(token, "controlToken");
            String problem = tokenProblem(token);
            if (problem != null) {
                throw new IllegalArgumentException("controlToken must be " + TOKEN_RULE + ", but was " + problem);
            }
            this.controlToken = token;
            return this;
        }

        /**
         * The control endpoint's path (default {@code /api/instance}).
         *
         * @param path a path starting with {@code /}, not ending with one
         * @return this
         */
        public Builder controlPath(String path) {
            Checks.require(path != null && path.startsWith("/") && path.length() > 1 && !path.endsWith("/")
                    && path.chars().noneMatch(c -> c <= ' ' || c == '?' || c == '#'), "controlPath",
                    "a path starting with / and not ending with one", path);
            this.controlPath = path;
            return this;
        }

        /**
         * The {@code Retry-After} of a draining instance's 503 (default 1 s).
         *
         * @param retryAfter whole seconds, 1 s to 1 hour
         * @return this
         */
        public Builder retryAfter(Duration retryAfter) {
            Objects.requireNonNull(retryAfter, "retryAfter");
            Checks.require(retryAfter.toNanos() % 1_000_000_000L == 0 && retryAfter.getSeconds() >= 1
                    && retryAfter.getSeconds() <= 3600, "retryAfter", "whole seconds from 1 to 3600", retryAfter);
            this.retryAfter = retryAfter;
            return this;
        }

        /**
         * The request meter's sliding window (default 60 s); {@code requests_per_min} is the count
         * in the window scaled to a minute.
         *
         * @param window whole seconds, 1 to 60
         * @return this
         */
        public Builder meterWindow(Duration window) {
            Objects.requireNonNull(window, "meterWindow");
            Checks.require(window.toNanos() % 1_000_000_000L == 0 && window.getSeconds() >= 1
                    && window.getSeconds() <= 60, "meterWindow", "whole seconds from 1 to 60", window);
            this.meterWindow = window;
            return this;
        }

        /**
         * What {@code queue_depth} reports (default: nothing, the field is left out): requests or
         * jobs waiting, e.g. the size of the server executor's queue. It is called on each health
         * read, never on the request path; one that throws leaves the field out.
         *
         * @param queueDepth the supplier
         * @return this
         */
        public Builder queueDepth(LongSupplier queueDepth) {
            this.queueDepth = Objects.requireNonNull(queueDepth, "queueDepth");
            return this;
        }

        /**
         * The time source of the meter and the drain (default {@link Ticker#system()}).
         *
         * @param ticker the ticker
         * @return this
         */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * The clock of event timestamps (default UTC system clock).
         *
         * @param clock the clock
         * @return this
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the configuration
         */
        public InstanceConfig build() {
            return new InstanceConfig(this);
        }
    }
}
