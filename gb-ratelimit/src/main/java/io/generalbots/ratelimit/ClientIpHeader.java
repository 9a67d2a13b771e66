package io.generalbots.ratelimit;

import java.util.Locale;

/**
 * The one forwarding header that {@link ClientKeyResolver} reads behind a trusted proxy
 * ({@code rate-limit-client-ip-header}); every other forwarding header is ignored, since a client
 * can send any of them and a proxy overwrites only the ones it sets.
 *
 * <p>The default, {@link #X_FORWARDED_FOR}, is what the Caddyfile of {@code gb-scale caddyfile}
 * makes trustworthy: Caddy 2.6 replaces a client's {@code X-Forwarded-For} with the address it
 * sees (the rendered file never sets Caddy's {@code trusted_proxies}), and the rendered file also
 * sets {@code X-Real-IP} to that address and deletes a client's {@code Forwarded}.
 */
public enum ClientIpHeader {

    /** {@code X-Forwarded-For: client, proxy1, proxy2} (the default). */
    X_FORWARDED_FOR("X-Forwarded-For", "x-forwarded-for"),
    /** RFC 7239 {@code Forwarded: for=client, for=proxy1}; only the {@code for=} parameters count. */
    FORWARDED("Forwarded", "forwarded"),
    /** {@code X-Real-IP: client}, a single address set by the proxy. */
    X_REAL_IP("X-Real-IP", "x-real-ip");

    private final String headerName;
    private final String configValue;

    ClientIpHeader(String headerName, String configValue) {
        this.headerName = headerName;
        this.configValue = configValue;
    }

    /**
     * The HTTP header's name, e.g. {@code X-Forwarded-For}.
     *
     * @return the name
     */
    public String headerName() {
        return headerName;
    }

    /**
     * The value of {@code rate-limit-client-ip-header} that selects it, e.g. {@code x-forwarded-for}.
     *
     * @return the config value
     */
    public String configValue() {
        return configValue;
    }

    /**
     * The header a config value names, ignoring case.
     *
     * @param text {@code x-forwarded-for}, {@code forwarded} or {@code x-real-ip}
     * @return the header, or null if the text is none of these
     */
    public static ClientIpHeader parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (ClientIpHeader h : values()) {
            if (h.configValue.equals(t)) {
                return h;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return configValue;
    }
}
