package io.generalbots.autoscale.serving;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigReader;

/**
 * The {@code config.csv} keys of the instance side ({@link BotInstance}).
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>scale-drain-seconds</td><td>30</td><td>how long a draining instance lets requests in
 *       flight finish (the scaler destroys it after that; the seed's {@code sleep 30})</td></tr>
 *   <tr><td>scale-control-token</td><td>–</td><td>the shared token the scaler sends to the control
 *       endpoint ({@code Authorization: Bearer TOKEN}); the token itself (16 to 512 characters of
 *       letters, digits and {@code -._~+/=}) or {@code env:VARIABLE}. Without it only loopback
 *       callers that came through no proxy may drain the instance.</td></tr>
 * </table>
 *
 * @param drainTimeout {@code scale-drain-seconds}
 * @param controlToken {@code scale-control-token}, resolved (never printed by {@link #toString()})
 */
public record InstanceSettings(Duration drainTimeout, Optional<String> controlToken) {

    /**
     * Creates settings; the values are assumed valid ({@link InstanceConfig} checks them again).
     *
     * @param drainTimeout the drain deadline
     * @param controlToken the token, if any
     */
    public InstanceSettings {
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        Objects.requireNonNull(controlToken, "controlToken");
    }

    /**
     * What an empty {@code config.csv} gives: a 30 s drain, no token.
     *
     * @return the settings
     */
    public static InstanceSettings ofDefaults() {
        return from(BotConfig.ofDefaults());
    }

    /**
     * The settings of a file ({@code env:VARIABLE} read from the process environment).
     *
     * @param config the configuration
     * @return the settings
     * @throws io.generalbots.scaling.config.ConfigException listing every bad value
     */
    public static InstanceSettings from(BotConfig config) {
        return from(config, System::getenv);
    }

    /**
     * The settings of a file, with the environment given.
     *
     * @param config      the configuration
     * @param environment variable name to value (null when unset)
     * @return the settings
     * @throws io.generalbots.scaling.config.ConfigException listing every bad value
     */
    public static InstanceSettings from(BotConfig config, Function<String, String> environment) {
        ConfigReader reader = config.reader();
        InstanceSettings settings = read(reader, environment);
        reader.throwIfInvalid();
        return settings;
    }

    /**
     * Reads the settings, recording problems in the reader. The token's value never appears in a
     * message.
     *
     * @param r           the reader
     * @param environment variable name to value
     * @return the settings
     */
    public static InstanceSettings read(ConfigReader r, Function<String, String> environment) {
        Duration drain = r.getDuration("scale-drain-seconds", Duration.ZERO, Duration.ofHours(1));
        Optional<String> token = Optional.empty();
        if (r.isSet("scale-control-token")) {
            String value = r.find("scale-control-token").orElse("");
            String source = "scale-control-token";
            if (value.startsWith("env:")) {
                String variable = value.substring(4);
                if (!variable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    r.reject("scale-control-token", "the token itself, or env:VARIABLE naming an environment variable");
                    return new InstanceSettings(drain, token);
                }
                value = environment.apply(variable);
                if (value == null || value.isEmpty()) {
                    r.error("scale-control-token", "scale-control-token names environment variable " + variable
                            + ", which is not set");
                    return new InstanceSettings(drain, token);
                }
                source = "environment variable " + variable + " (scale-control-token)";
            }
            String problem = InstanceConfig.tokenProblem(value);
            if (problem != null) {
                r.error("scale-control-token", source + " must be " + InstanceConfig.TOKEN_RULE + ", but was "
                        + problem);
            } else {
                token = Optional.of(value);
            }
        }
        return new InstanceSettings(drain, token);
    }

    @Override
    public String toString() {
        return "InstanceSettings[drainTimeout=" + drainTimeout + ", controlToken="
                + (controlToken.isPresent() ? "****" : "none") + "]";
    }
}
