package io.generalbots.balance.caddy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import io.generalbots.scaling.Checks;
import io.generalbots.balance.ProxySettings;
import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.scaling.health.HealthSettings;

/**
 * The seed's Caddyfile for a list of botserver instances, made correct for Caddy 2.6: the
 * {@code /api/health} report from the first available instance, sticky sessions by cookie on
 * {@code /ws*}, round robin on {@code /api/*}, {@code first} for everything else, active health
 * checks on the API and WebSocket routes ({@code health-endpoint}, {@code health-interval},
 * {@code health-timeout}), passive ones ({@code fail_duration}) and retries
 * ({@code lb_try_duration}) on every route, and the seed's security headers.
 *
 * <p>Forwarding headers are made trustworthy, so that a botserver that trusts this proxy
 * ({@code rate-limit-trusted-proxies}) can key its rate limits on the client's address: Caddy
 * 2.6 itself replaces a client's {@code X-Forwarded-For} with the address it sees (the file never
 * sets Caddy's {@code trusted_proxies}; an explicit {@code header_up X-Forwarded-For} would only
 * draw a warning), and every {@code reverse_proxy} also sets {@code X-Real-IP} to that address
 * and deletes a client's {@code Forwarded}, which Caddy would otherwise pass on untouched.
 *
 * <p>No value is rendered with <code>&#123;</code> or <code>&#125;</code> in it (other than the
 * placeholders this class writes itself): Caddy 2.6 expands {@code {$VAR}} from its environment
 * before it parses the file, so such a value could change the file's meaning or leak a variable.
 *
 * <p>Where the seed is wrong, the rendered file does what it meant:
 * <ul>
 *   <li>the admin API stays on, on loopback: the seed's {@code admin off} makes its own
 *       {@code caddy reload} fail, and gb-scaling changes upstreams live through the admin API;</li>
 *   <li>the seed's {@code auto_https on} is not a Caddy option (HTTPS is automatic for domain
 *       sites), so it is left out;</li>
 *   <li>the nginx-style {@code upstream botserver {...}} block its script writes is not Caddyfile:
 *       upstreams are listed on each {@code reverse_proxy};</li>
 *   <li>{@code rate_limit} is rendered only when zones are given, with the global option
 *       {@code order rate_limit before basicauth}: it needs a Caddy built with the
 *       caddy-ratelimit plugin, and stock Caddy refuses the file.</li>
 * </ul>
 *
 * <pre>{@code
 * String text = Caddyfile.from(ProxySettings.from(config), HealthSettings.from(config))
 *         .upstreams(List.of(new HostAndPort("10.0.0.11", 8080), new HostAndPort("10.0.0.12", 8080)))
 *         .build()
 *         .render();
 * }</pre>
 */
public final class Caddyfile {

    private final Builder b;

    private Caddyfile(Builder b) {
        this.b = b;
    }

    /**
     * A builder with the defaults of {@link ProxySettings} and {@link HealthSettings}.
     *
     * @return a builder
     */
    public static Builder custom() {
        return new Builder();
    }

    /**
     * A builder filled from the {@code scale-proxy-*} and {@code health-*} settings.
     *
     * @param proxy  the proxy settings
     * @param health the health settings
     * @return a builder; add the upstreams
     */
    public static Builder from(ProxySettings proxy, HealthSettings health) {
        Builder b = new Builder().site(proxy.site()).tryDuration(proxy.tryDuration())
                .failDuration(proxy.failDuration()).cookieSecret(proxy.cookieSecret()).health(health);
        b.bind = proxy.bind();
        b.admin = proxy.admin();
        return b;
    }

    /**
     * The upstreams, in order.
     *
     * @return the upstreams
     */
    public List<HostAndPort> upstreams() {
        return b.upstreams;
    }

    /**
     * The Caddyfile text.
     *
     * @return the text, tab-indented, ending with a newline
     */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append("# Caddyfile for ").append(b.upstreams.size()).append(" botserver instance(s), rendered by gb-scaling.\n");
        if (b.admin != null && !ProxySettings.isLoopback(b.admin.host())) {
            out.append("# The admin API listens on ").append(b.admin).append(" (scale-proxy-admin-remote): it has no\n")
               .append("# authentication, so only trusted hosts may reach this address. Upstreams are changed live\n")
               .append("# through it (the seed's \"admin off\" would make that, and \"caddy reload\", impossible).\n");
        } else if (b.admin != null) {
            out.append("# The admin API stays on loopback: upstreams are changed live through it (the seed's\n")
               .append("# \"admin off\" would make that, and its own \"caddy reload\", impossible).\n");
        } else {
            out.append("# WARNING: admin off: upstreams cannot be changed live, and \"caddy reload\" fails too.\n");
        }
        out.append("{\n");
        out.append("\tadmin ").append(b.admin == null ? "off" : b.admin.toString()).append('\n');
        if (!b.zones.isEmpty()) {
            out.append("\t# rate_limit needs a Caddy built with github.com/mholt/caddy-ratelimit\n");
            out.append("\torder rate_limit before basicauth\n");
        }
        out.append("}\n\n");
        out.append("# Every reverse_proxy passes the client's address as Caddy saw it: Caddy replaces a client's\n")
           .append("# X-Forwarded-For itself, X-Real-IP is overwritten and a client's Forwarded deleted, so that\n")
           .append("# no client can pick the address a botserver behind this proxy keys its rate limits on.\n");
        out.append("(common) {\n")
           .append("\tencode gzip zstd\n")
           .append("\theader {\n")
           .append("\t\t-Server\n")
           .append("\t\tX-Content-Type-Options \"nosniff\"\n")
           .append("\t\tX-Frame-Options \"DENY\"\n")
           .append("\t\tReferrer-Policy \"strict-origin-when-cross-origin\"\n")
           .append("\t}\n")
           .append("}\n\n");
        out.append(b.site).append(" {\n");
        if (b.bind != null) {
            out.append("\tbind ").append(b.bind).append('\n');
        }
        out.append("\timport common\n");
        if (!b.zones.isEmpty()) {
            out.append("\n\trate_limit {\n");
            for (RateLimitZone z : b.zones) {
                out.append("\t\tzone ").append(z.name()).append(" {\n");
                if (!z.paths().isEmpty()) {
                    out.append("\t\t\tmatch {\n\t\t\t\tpath");
                    for (String p : z.paths()) {
                        String base = p.endsWith("/") && p.length() > 1 ? p.substring(0, p.length() - 1) : p;
                        out.append(' ').append(base).append(' ').append(base.equals("/") ? "/*" : base + "/*");
                    }
                    out.append("\n\t\t\t}\n");
                }
                out.append("\t\t\tkey ").append(z.key()).append('\n')
                   .append("\t\t\tevents ").append(z.events()).append('\n')
                   .append("\t\t\twindow ").append(go(z.window())).append('\n')
                   .append("\t\t}\n");
            }
            out.append("\t}\n");
        }
        String upstreams = b.upstreams.stream().map(HostAndPort::toString).collect(Collectors.joining(" "));
        String cookie = b.cookieSecret.isEmpty() ? "cookie" : "cookie lb " + quote(b.cookieSecret);

        out.append("\n\t# Health report of the first available instance\n");
        route(out, b.healthUri, upstreams, "first", false);
        out.append("\n\t# WebSocket connections: sticky sessions by cookie\n");
        route(out, "/ws*", upstreams, cookie, true);
        out.append("\n\t# API requests: round robin\n");
        route(out, "/api/*", upstreams, "round_robin", true);
        out.append("\n\t# Static files: the first available instance\n");
        route(out, null, upstreams, "first", false);
        out.append("}\n");
        return out.toString();
    }

    private void route(StringBuilder out, String path, String upstreams, String policy, boolean activeChecks) {
        out.append("\thandle ").append(path == null ? "" : path + " ").append("{\n");
        out.append("\t\treverse_proxy ").append(upstreams).append(" {\n");
        out.append("\t\t\tlb_policy ").append(policy).append('\n');
        out.append("\t\t\theader_up -Forwarded\n")
           .append("\t\t\theader_up X-Real-IP {remote_host}\n");
        if (!b.tryDuration.isZero()) {
            out.append("\t\t\tlb_try_duration ").append(go(b.tryDuration)).append('\n');
        }
        if (activeChecks && b.healthEnabled) {
            out.append("\t\t\thealth_uri ").append(b.healthUri).append('\n')
               .append("\t\t\thealth_interval ").append(go(b.healthInterval)).append('\n')
               .append("\t\t\thealth_timeout ").append(go(b.healthTimeout)).append('\n');
        }
        if (!b.failDuration.isZero()) {
            out.append("\t\t\tfail_duration ").append(go(b.failDuration)).append('\n');
        }
        out.append("\t\t}\n\t}\n");
    }

    /**
     * A duration as Go writes it in a Caddyfile: {@code 5s}, {@code 1m30s}, {@code 250ms}.
     *
     * @param d the duration
     * @return the text
     */
    static String go(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        StringBuilder t = new StringBuilder();
        if (s >= 3600) {
            t.append(s / 3600).append('h');
            s %= 3600;
        }
        if (s >= 60) {
            t.append(s / 60).append('m');
            s %= 60;
        }
        if (s > 0 || t.length() == 0) {
            t.append(s).append('s');
        }
        return t.toString();
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    @Override
    public String toString() {
        return render();
    }

    /** Builds a {@link Caddyfile}; every setter checks its value. */
    public static final class Builder {
        private String site = "bot.example.com";
        private String bind;
        private HostAndPort admin = new HostAndPort("localhost", 2019);
        private List<HostAndPort> upstreams = List.of();
        private boolean healthEnabled = true;
        private String healthUri = "/api/health";
        private Duration healthInterval = Duration.ofSeconds(10);
        private Duration healthTimeout = Duration.ofSeconds(5);
        private Duration tryDuration = Duration.ofSeconds(5);
        private Duration failDuration = Duration.ofSeconds(30);
        private String cookieSecret = "";
        private final List<RateLimitZone> zones = new ArrayList<>();

        private Builder() {
        }

        /**
         * The site address ({@code scale-proxy-site}).
         *
         * @param site e.g. {@code bot.example.com}, {@code :443}, {@code http://127.0.0.1:8080}
         * @return this
         */
        public Builder site(String site) {
            Checks.require(site != null && ProxySettings.isSiteAddress(site), "site",
                    "a Caddy site address such as bot.example.com, :443 or http://127.0.0.1:8080", site);
            this.site = site;
            return this;
        }

        /**
         * The interface to bind the site to ({@code scale-proxy-bind}).
         *
         * @param address an IP address, or null for all
         * @return this
         */
        public Builder bind(String address) {
            Checks.require(address == null || address.matches("[A-Za-z0-9.:-]+"), "bind", "an IP address", address);
            this.bind = address;
            return this;
        }

        /**
         * The admin API address ({@code scale-proxy-admin}); must be loopback.
         *
         * @param address the address
         * @return this
         */
        public Builder admin(HostAndPort address) {
            Checks.require(address != null && ProxySettings.isLoopback(address.host()), "admin",
                    "a loopback address (localhost, 127.0.0.1, [::1])", address);
            this.admin = address;
            return this;
        }

        /**
         * Renders {@code admin off}, with a warning comment: live updates become impossible.
         *
         * @return this
         */
        public Builder adminOff() {
            this.admin = null;
            return this;
        }

        /**
         * The botserver instances, in order.
         *
         * @param upstreams at least one
         * @return this
         */
        public Builder upstreams(List<HostAndPort> upstreams) {
            Objects.requireNonNull(upstreams, "upstreams");
            Checks.require(!upstreams.isEmpty(), "upstreams", "at least one HOST:PORT", upstreams);
            for (HostAndPort u : upstreams) {
                Checks.require(u.host().matches("[A-Za-z0-9._-]+|[0-9A-Fa-f:.]+"), "upstream",
                        "a host name or IP address", u);
            }
            this.upstreams = List.copyOf(upstreams);
            return this;
        }

        /**
         * The active health checks from {@code health-*}: endpoint, interval, timeout; none when
         * {@code health-enabled} is false.
         *
         * @param health the settings
         * @return this
         */
        public Builder health(HealthSettings health) {
            Checks.require(health.endpoint().indexOf('{') < 0 && health.endpoint().indexOf('}') < 0, "health-endpoint",
                    "a path without { or } (Caddy expands {...} placeholders such as {$VAR} in the Caddyfile it is"
                            + " rendered into)", "\"" + health.endpoint() + "\"");
            this.healthEnabled = health.enabled();
            this.healthUri = health.endpoint();
            this.healthInterval = health.interval();
            this.healthTimeout = health.timeout();
            return this;
        }

        /**
         * {@code lb_try_duration} on every route (0 = none).
         *
         * @param d zero or positive, whole milliseconds
         * @return this
         */
        public Builder tryDuration(Duration d) {
            Checks.require(d != null && !d.isNegative(), "lb_try_duration", "zero or positive", d);
            this.tryDuration = d;
            return this;
        }

        /**
         * {@code fail_duration} on every route (0 = no passive checks).
         *
         * @param d zero or positive
         * @return this
         */
        public Builder failDuration(Duration d) {
            Checks.require(d != null && !d.isNegative(), "fail_duration", "zero or positive", d);
            this.failDuration = d;
            return this;
        }

        /**
         * The HMAC key of the {@code /ws*} sticky cookie (default empty, as Caddy's).
         *
         * @param secret the key, one line, without <code>&#123;</code> or <code>&#125;</code>
         * @return this
         */
        public Builder cookieSecret(String secret) {
            Checks.require(secret != null && secret.chars().noneMatch(c -> c < ' '), "cookie secret",
                    "one line of text", secret == null ? null : "(" + secret.length() + " characters)");
            Checks.require(secret.indexOf('{') < 0 && secret.indexOf('}') < 0, "scale-proxy-cookie-secret",
                    "a text without { or } (Caddy expands {...} placeholders such as {$VAR} in the Caddyfile it is"
                            + " rendered into)", "a secret of " + secret.length() + " characters (not shown)");
            this.cookieSecret = secret;
            return this;
        }

        /**
         * Adds a {@code rate_limit} zone (needs the caddy-ratelimit plugin).
         *
         * @param zone the zone
         * @return this
         */
        public Builder rateLimitZone(RateLimitZone zone) {
            Objects.requireNonNull(zone, "zone");
            Checks.require(zones.stream().noneMatch(z -> z.name().equals(zone.name())), "zone name", "unique", zone.name());
            zones.add(zone);
            return this;
        }

        /**
         * Builds the file.
         *
         * @return the file
         * @throws IllegalArgumentException if no upstream was given
         */
        public Caddyfile build() {
            Checks.require(!upstreams.isEmpty(), "upstreams", "at least one HOST:PORT", upstreams);
            Builder copy = new Builder();
            copy.site = site;
            copy.bind = bind;
            copy.admin = admin;
            copy.upstreams = upstreams;
            copy.healthEnabled = healthEnabled;
            copy.healthUri = healthUri;
            copy.healthInterval = healthInterval;
            copy.healthTimeout = healthTimeout;
            copy.tryDuration = tryDuration;
            copy.failDuration = failDuration;
            copy.cookieSecret = cookieSecret;
            copy.zones.addAll(zones);
            return new Caddyfile(copy);
        }
    }
}
