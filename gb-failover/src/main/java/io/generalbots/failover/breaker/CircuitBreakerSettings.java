package io.generalbots.failover.breaker;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigReader;

/**
 * The circuit-breaker settings of {@code config.csv} ({@code circuit-breaker-*}); every breaker of
 * a {@link BreakerRegistry} built from a file uses them.
 *
 * @param enabled          {@code circuit-breaker-enabled}: false lets every call pass straight through
 * @param threshold        {@code circuit-breaker-threshold}: consecutive failures that open a breaker
 * @param timeout          {@code circuit-breaker-timeout}: time open before trial calls
 * @param halfOpenRequests {@code circuit-breaker-half-open-requests}: trial calls in half-open
 * @param slowCall         {@code circuit-breaker-slow-call}: calls slower than this count as failures; empty: off
 */
public record CircuitBreakerSettings(boolean enabled, int threshold, Duration timeout, int halfOpenRequests,
                                     Optional<Duration> slowCall) {

    /**
     * Creates settings; values are assumed valid ({@link BreakerConfig} checks them again).
     *
     * @param enabled          enabled
     * @param threshold        failures to open
     * @param timeout          time open
     * @param halfOpenRequests trial calls
     * @param slowCall         slow-call duration, if any
     */
    public CircuitBreakerSettings {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(slowCall, "slowCall");
    }

    /**
     * The settings of a file.
     *
     * @param config the configuration
     * @return the settings
     * @throws io.generalbots.scaling.config.ConfigException listing every bad value
     */
    public static CircuitBreakerSettings from(BotConfig config) {
        ConfigReader reader = config.reader();
        CircuitBreakerSettings settings = read(reader);
        reader.throwIfInvalid();
        return settings;
    }

    /**
     * Reads the settings, recording problems in the reader.
     *
     * @param r the reader
     * @return the settings
     */
    public static CircuitBreakerSettings read(ConfigReader r) {
        boolean enabled = r.getBoolean("circuit-breaker-enabled");
        int threshold = r.getInt("circuit-breaker-threshold", 1, 1000);
        Duration timeout = r.getDuration("circuit-breaker-timeout", Duration.ofMillis(1), Duration.ofDays(1));
        int halfOpen = r.getInt("circuit-breaker-half-open-requests", 1, 1000);
        Optional<Duration> slow = r.isSet("circuit-breaker-slow-call")
                ? Optional.of(r.getDuration("circuit-breaker-slow-call", Duration.ofMillis(1), Duration.ofHours(1)))
                : Optional.empty();
        return new CircuitBreakerSettings(enabled, threshold, timeout, halfOpen, slow);
    }
}
