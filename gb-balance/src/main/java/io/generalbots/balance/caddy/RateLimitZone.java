package io.generalbots.balance.caddy;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.generalbots.scaling.Checks;

/**
 * One zone of the caddy-ratelimit plugin's {@code rate_limit} directive, as plain data: at most
 * {@code events} requests per {@code window} (a sliding window) per distinct {@code key}, for the
 * requests under the given paths (all requests when none). gb-scaling-core does not depend on
 * gb-ratelimit: whoever renders the Caddyfile (e.g. {@code gb-scale caddyfile}) turns the
 * {@code rate-limit-*} keys into zones.
 *
 * @param name   the zone's name, e.g. {@code global} or {@code api-auth}
 * @param paths  path prefixes such as {@code /api/auth}, or empty for every request
 * @param key    the Caddy placeholder the limit is per, e.g. {@code {remote_host}}
 * @param events requests allowed per window
 * @param window the window
 */
public record RateLimitZone(String name, List<String> paths, String key, int events, Duration window) {

    /**
     * Creates a zone, checking every value.
     *
     * @param name   the name, letters, digits, {@code -} and {@code _}
     * @param paths  path prefixes starting with {@code /}
     * @param key    a Caddy placeholder in braces
     * @param events 1..1,000,000
     * @param window at least one second, whole seconds
     */
    public RateLimitZone {
        Checks.require(name != null && name.matches("[A-Za-z0-9_-]+"), "zone name", "letters, digits, - or _", name);
        paths = List.copyOf(paths);
        for (String p : paths) {
            Checks.require(p.startsWith("/") && p.matches("/[A-Za-z0-9._~/-]*"), "zone path", "a path such as /api/auth", p);
        }
        Checks.require(key != null && key.matches("\\{[A-Za-z0-9._-]+\\}"), "zone key",
                "a Caddy placeholder such as {remote_host}", key);
        Checks.requireRange("zone events", events, 1, 1_000_000);
        Objects.requireNonNull(window, "window");
        Checks.require(window.toSeconds() >= 1 && window.toNanosPart() == 0, "zone window", "whole seconds, at least 1", window);
    }

    /**
     * A zone over every request.
     *
     * @param name   the name
     * @param key    the placeholder
     * @param events requests per window
     * @param window the window
     * @return the zone
     */
    public static RateLimitZone global(String name, String key, int events, Duration window) {
        return new RateLimitZone(name, List.of(), key, events, window);
    }
}
