package io.generalbots.scaling.config;

import java.util.Objects;

/**
 * A {@code host:port} pair from a list such as {@code cache-nodes,redis-1:6379,redis-2:6379}.
 * IPv6 literals are written in brackets: {@code [::1]:6379}.
 *
 * @param host the host name or address (without brackets)
 * @param port the port, 1..65535
 */
public record HostAndPort(String host, int port) {

    /**
     * Creates a pair.
     *
     * @param host the host
     * @param port the port
     */
    public HostAndPort {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be from 1 to 65535, but was " + port);
        }
    }

    /**
     * Parses {@code host:port}, {@code host} (with the default port), {@code [v6]:port}.
     *
     * @param text        the text
     * @param defaultPort the port when none is given, or 0 if a port is required
     * @return the pair
     * @throws IllegalArgumentException if the text is not a host and port
     */
    public static HostAndPort parse(String text, int defaultPort) {
        String s = text.trim();
        String host;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed [ in \"" + text + "\"");
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("expected :PORT after ] in \"" + text + "\"");
                }
                port = rest.substring(1);
            }
        } else {
            int colon = s.lastIndexOf(':');
            if (colon >= 0 && s.indexOf(':') != colon) {
                throw new IllegalArgumentException("IPv6 addresses must be in brackets in \"" + text + "\"");
            }
            host = colon < 0 ? s : s.substring(0, colon);
            port = colon < 0 ? null : s.substring(colon + 1);
        }
        if (host.isEmpty() || !host.chars().allMatch(c -> c > 32 && c < 127 && c != '/' && c != ',')) {
            throw new IllegalArgumentException("bad host in \"" + text + "\"");
        }
        int p;
        if (port == null) {
            if (defaultPort == 0) {
                throw new IllegalArgumentException("missing port in \"" + text + "\"");
            }
            p = defaultPort;
        } else {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad port in \"" + text + "\"", e);
            }
        }
        return new HostAndPort(host, p);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
