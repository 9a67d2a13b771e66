package io.generalbots.balance;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigReader;
import io.generalbots.scaling.config.HostAndPort;

/**
 * The proxy settings of {@code config.csv} ({@code scale-proxy-*}), which the seed leaves implicit
 * in its Caddyfile: where the site is served, where Caddy's admin API listens, the port of the
 * botserver instances, and the seed's {@code lb_try_duration} / {@code fail_duration}.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>scale-proxy-site</td><td>bot.example.com</td><td>the Caddy site address</td></tr>
 *   <tr><td>scale-proxy-bind</td><td>(all)</td><td>the address Caddy binds the site to</td></tr>
 *   <tr><td>scale-proxy-admin</td><td>localhost:2019</td><td>Caddy's admin API, on loopback, or {@code off}</td></tr>
 *   <tr><td>scale-proxy-admin-remote</td><td>false</td><td>{@code true} allows a {@code scale-proxy-admin}
 *       that is not loopback (Caddy's admin API has no authentication: only for an address that no
 *       untrusted host can reach); a warning says so</td></tr>
 *   <tr><td>scale-proxy-upstream-port</td><td>8080</td><td>port of upstreams given without one</td></tr>
 *   <tr><td>scale-proxy-try-duration</td><td>5</td><td>{@code lb_try_duration}</td></tr>
 *   <tr><td>scale-proxy-fail-duration</td><td>30</td><td>{@code fail_duration}</td></tr>
 *   <tr><td>scale-proxy-cookie-secret</td><td>(empty)</td><td>HMAC key of the {@code /ws*} sticky cookie
 *       (without <code>&#123;</code> or <code>&#125;</code>, which Caddy would expand)</td></tr>
 * </table>
 *
 * @param site         the site address, e.g. {@code bot.example.com} or {@code http://127.0.0.1:8080}
 * @param bind         the address to bind to, or null for Caddy's default (all interfaces)
 * @param admin        the admin API address, or null when off
 * @param upstreamPort the default upstream port
 * @param tryDuration  {@code lb_try_duration}
 * @param failDuration {@code fail_duration}
 * @param cookieSecret the cookie HMAC key, may be empty
 * @param adminRemote  whether {@code admin} may be an address that is not loopback
 *                     ({@code scale-proxy-admin-remote,true})
 */
public record ProxySettings(String site, String bind, HostAndPort admin, int upstreamPort, Duration tryDuration,
                            Duration failDuration, String cookieSecret, boolean adminRemote) {

    /**
     * Creates settings.
     *
     * @param site         the site address
     * @param bind         the bind address or null
     * @param admin        the admin address or null
     * @param upstreamPort the default upstream port
     * @param tryDuration  {@code lb_try_duration}
     * @param failDuration {@code fail_duration}
     * @param cookieSecret the cookie key
     * @param adminRemote  whether a non-loopback admin address is allowed
     * @throws IllegalArgumentException if the admin address is not loopback and that is not allowed
     */
    public ProxySettings {
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(tryDuration, "tryDuration");
        Objects.requireNonNull(failDuration, "failDuration");
        Objects.requireNonNull(cookieSecret, "cookieSecret");
        io.generalbots.scaling.Checks.require(admin == null || adminRemote || isLoopback(admin.host()), "admin",
                "a loopback address (localhost, 127.0.0.1, [::1]) unless adminRemote is true", admin);
    }

    /**
     * Creates settings whose admin API, if on, is on loopback.
     *
     * @param site         the site address
     * @param bind         the bind address or null
     * @param admin        the admin address (loopback) or null
     * @param upstreamPort the default upstream port
     * @param tryDuration  {@code lb_try_duration}
     * @param failDuration {@code fail_duration}
     * @param cookieSecret the cookie key
     */
    public ProxySettings(String site, String bind, HostAndPort admin, int upstreamPort, Duration tryDuration,
                         Duration failDuration, String cookieSecret) {
        this(site, bind, admin, upstreamPort, tryDuration, failDuration, cookieSecret, false);
    }

    private static final String ADMIN_EXPECTED = "off or a loopback HOST:PORT (localhost, 127.0.0.1 or [::1]) so that "
            + "only this machine can change the proxy (another address needs scale-proxy-admin-remote,true)";

    /**
     * The admin API address.
     *
     * @return the address, or empty when {@code scale-proxy-admin} is {@code off}
     */
    public Optional<HostAndPort> adminAddress() {
        return Optional.ofNullable(admin);
    }

    /**
     * The settings of a file.
     *
     * @param config the configuration
     * @return the settings
     * @throws io.generalbots.scaling.config.ConfigException listing every bad value
     */
    public static ProxySettings from(BotConfig config) {
        ConfigReader reader = config.reader();
        ProxySettings settings = read(reader);
        reader.throwIfInvalid();
        return settings;
    }

    /**
     * Reads the settings, recording problems in the reader.
     *
     * @param r the reader
     * @return the settings
     */
    public static ProxySettings read(ConfigReader r) {
        String site = r.parse("scale-proxy-site", "a Caddy site address such as bot.example.com, :443 or "
                + "http://127.0.0.1:8080", v -> isSiteAddress(v) ? v : null, "bot.example.com");
        String bind = r.parse("scale-proxy-bind", "an IP address or host name",
                v -> v.matches("[A-Za-z0-9.:-]+") ? v : null, null);
        boolean remote = r.getBoolean("scale-proxy-admin-remote");
        HostAndPort admin = r.parse("scale-proxy-admin", remote ? "off or HOST:PORT" : ADMIN_EXPECTED, v -> {
            if (v.toLowerCase(Locale.ROOT).equals("off")) {
                return OFF;
            }
            HostAndPort hp = HostAndPort.parse(v, 0);
            return remote || isLoopback(hp.host()) ? hp : null;
        }, new HostAndPort("localhost", 2019));
        if (admin == OFF) {
            admin = null;
            r.warn("scale-proxy-admin", "scale-proxy-admin is off: Caddy's admin API is disabled, so the proxy's "
                    + "upstreams cannot be changed live (caddy reload needs the admin API too)");
        } else if (admin != null && !isLoopback(admin.host())) {
            r.warn("scale-proxy-admin", "scale-proxy-admin " + admin + " is not loopback (scale-proxy-admin-remote,"
                    + "true): Caddy's admin API has no authentication, so every host that reaches this address can "
                    + "reconfigure the proxy; let only the scaler's host reach it (a firewall rule, or an LXD proxy "
                    + "device that brings it to loopback instead)");
        }
        int port = r.getInt("scale-proxy-upstream-port", 1, 65535);
        Duration tryDuration = r.getDuration("scale-proxy-try-duration", Duration.ZERO, Duration.ofMinutes(10));
        Duration failDuration = r.getDuration("scale-proxy-fail-duration", Duration.ZERO, Duration.ofHours(1));
        String secret = r.find("scale-proxy-cookie-secret").orElse("");
        if (secret.indexOf('{') >= 0 || secret.indexOf('}') >= 0) {
            // the value is a secret: say what is wrong with it, never what it is
            r.error("scale-proxy-cookie-secret", "scale-proxy-cookie-secret must be a text without { or } (Caddy"
                    + " expands {...} placeholders such as {$VAR} in the Caddyfile it is rendered into), but was a"
                    + " secret of " + secret.length() + " characters (not shown)");
            secret = "";
        }
        return new ProxySettings(site, bind, admin, port, tryDuration, failDuration, secret, remote);
    }

    private static final HostAndPort OFF = new HostAndPort("off", 1);

    /**
     * Whether a text is a site address this library renders: {@code [scheme://]host[:port]} or
     * {@code :port}, with a host of letters, digits, dots, dashes or a leading {@code *.}.
     *
     * @param v the text
     * @return true if acceptable
     */
    public static boolean isSiteAddress(String v) {
        return v.matches("(https?://)?((\\*\\.)?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+\\])?(:[0-9]{1,5})?")
                && !v.isEmpty() && !v.endsWith("://");
    }

    /**
     * Whether a host is a loopback name or address.
     *
     * @param host the host
     * @return true for localhost, 127.0.0.0/8 and ::1
     */
    public static boolean isLoopback(String host) {
        return host.equals("localhost") || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}") || host.equals("::1");
    }
}
