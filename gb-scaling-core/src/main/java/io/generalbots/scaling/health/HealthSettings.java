package io.generalbots.scaling.health;

import java.time.Duration;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigReader;

/**
 * The health-check settings of {@code config.csv} ({@code health-*}). The seed gives no defaults
 * table; its example values are taken as the defaults: enabled, {@code /api/health}, every 10 s,
 * 5 s timeout, 3 retries. They live in gb-scaling-core because the proxy (Caddy health checks), the
 * auto-scaler (reading instances' health) and the aggregator in gb-failover all use them.
 *
 * @param enabled  {@code health-enabled}: serve and run health checks
 * @param endpoint {@code health-endpoint}: the path of the health report
 * @param interval {@code health-interval}: seconds between background check runs
 * @param timeout  {@code health-timeout}: seconds one check may take
 * @param retries  {@code health-retries}: extra attempts of a failing check before it counts as failed
 */
public record HealthSettings(boolean enabled, String endpoint, Duration interval, Duration timeout, int retries) {

    /**
     * The settings of a file.
     *
     * @param config the configuration
     * @return the settings
     * @throws io.generalbots.scaling.config.ConfigException if a value is bad
     */
    public static HealthSettings from(BotConfig config) {
        ConfigReader reader = config.reader();
        HealthSettings settings = read(reader);
        reader.throwIfInvalid();
        return settings;
    }

    /**
     * Reads the settings, recording problems in the reader.
     *
     * @param r the reader
     * @return the settings
     */
    public static HealthSettings read(ConfigReader r) {
        boolean enabled = r.getBoolean("health-enabled");
        String endpoint = readEndpoint(r);
        Duration interval = r.getDuration("health-interval", Duration.ofSeconds(1), Duration.ofHours(1));
        Duration timeout = r.getDuration("health-timeout", Duration.ofMillis(1), Duration.ofMinutes(10));
        int retries = r.getInt("health-retries", 0, 100);
        if (timeout.compareTo(interval) > 0 && !r.hasErrors("health-timeout") && !r.hasErrors("health-interval")) {
            // point at the line the user wrote: the key that is set
            if (r.isSet("health-timeout")) {
                r.reject("health-timeout", "at most health-interval (" + r.find("health-interval").orElse("") + ")");
            } else {
                r.reject("health-interval", "at least health-timeout (" + r.find("health-timeout").orElse("") + ")");
            }
        }
        return new HealthSettings(enabled, endpoint, interval, timeout, retries);
    }

    /**
     * Reads {@code health-endpoint} alone, recording a problem in the reader: a path starting with
     * {@code /}, without spaces, {@code ?} or {@code #}, and without <code>&#123;</code> or <code>&#125;</code> — the
     * value is rendered into the proxy's Caddyfile, where Caddy would expand {@code {$VAR}}
     * from its environment before parsing (and braces are not valid in a URI path anyway).
     * Other modules that must know the health paths (e.g. the rate limiter, which never limits
     * them) read it here, so that a bad value is reported once, with one message.
     *
     * @param r the reader
     * @return the endpoint, {@code /api/health} if bad
     */
    public static String readEndpoint(ConfigReader r) {
        String endpoint = r.parse("health-endpoint", "a path starting with /",
                v -> v.startsWith("/") && v.chars().noneMatch(c -> c <= ' ' || c == '?' || c == '#') ? v : null,
                "/api/health");
        if (endpoint.indexOf('{') >= 0 || endpoint.indexOf('}') >= 0) {
            r.reject("health-endpoint", "a path without { or } (Caddy expands {...} placeholders such as {$VAR}"
                    + " in the Caddyfile it is rendered into)");
            return "/api/health";
        }
        return endpoint;
    }
}
