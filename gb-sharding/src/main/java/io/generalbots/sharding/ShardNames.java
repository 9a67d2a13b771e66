package io.generalbots.sharding;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Names of shards and databases, and quoting of SQL identifiers. Every identifier that reaches
 * SQL passes {@link #quoteIdentifier(String)}, which only accepts names that were validated.
 */
public final class ShardNames {

    private static final Pattern SHARD = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** PostgreSQL's NAMEDATALEN - 1: longer identifiers are truncated by the server. */
    public static final int MAX_IDENTIFIER_BYTES = 63;

    private ShardNames() {
    }

    /**
     * The name of hash shard {@code index}: {@code shard-INDEX}.
     *
     * @param index the shard's index, from 0
     * @return the name
     */
    public static String hashShard(int index) {
        return "shard-" + index;
    }

    static String requireShardName(String name) {
        if (name == null || !SHARD.matcher(name).matches()) {
            throw new IllegalArgumentException("a shard name must be 1 to 63 letters, digits, _ . - "
                    + "(not starting with . or -), but was \"" + name + "\"");
        }
        return name;
    }

    /**
     * Whether a name is a plain SQL identifier: an ASCII letter or {@code _}, then letters, digits
     * or {@code _}, at most 63 bytes.
     *
     * @param name the name
     * @return true if it may be used as an identifier
     */
    public static boolean isIdentifier(String name) {
        return name != null && IDENTIFIER.matcher(name).matches()
                && name.getBytes(StandardCharsets.UTF_8).length <= MAX_IDENTIFIER_BYTES;
    }

    /**
     * Quotes a validated identifier for SQL ({@code "name"}).
     *
     * @param name a plain identifier
     * @return the quoted identifier
     * @throws IllegalArgumentException if the name is not a plain identifier
     */
    public static String quoteIdentifier(String name) {
        if (!isIdentifier(name)) {
            throw new IllegalArgumentException("an SQL identifier must be an ASCII letter or _ followed by letters, "
                    + "digits or _, at most 63 bytes, but was \"" + name + "\"");
        }
        return '"' + name + '"';
    }

    /**
     * Whether a text is one host a JDBC URL may name, so that nothing else (a path, a query, a
     * user, a second host) can ride into the URL: a host name (dot-separated labels of 1 to 63 ASCII
     * letters, digits or {@code -}, not starting or ending with {@code -}, at most 253 characters),
     * an IPv4 address (four numbers 0 to 255) or an IPv6 address in brackets ({@code [::1]}), each
     * optionally followed by {@code :PORT} (1 to 65535).
     *
     * @param text the text
     * @return true if it is {@code HOST} or {@code HOST:PORT}
     */
    public static boolean isHostAndPort(String text) {
        if (text == null || text.isEmpty()) {
            return false;
        }
        String port = null;
        if (text.charAt(0) == '[') {
            int close = text.indexOf(']');
            if (close < 0 || !isIpv6(text.substring(1, close))) {
                return false;
            }
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (rest.charAt(0) != ':') {
                    return false;
                }
                port = rest.substring(1);
            }
        } else {
            int colon = text.indexOf(':');
            String host = colon < 0 ? text : text.substring(0, colon);
            if (colon >= 0) {
                port = text.substring(colon + 1);
            }
            if (!isIpv4(host) && !isHostName(host)) {
                return false;
            }
        }
        return port == null || isPort(port);
    }

    private static boolean isPort(String port) {
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        int p = Integer.parseInt(port);
        return p >= 1 && p <= 65535;
    }

    private static boolean isIpv4(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHostName(String host) {
        if (host.length() > 253 || host.chars().allMatch(c -> c >= '0' && c <= '9' || c == '.')) {
            return false; // all digits and dots: an IPv4 address or nothing
        }
        for (String label : host.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.charAt(0) == '-' || label.charAt(label.length() - 1) == '-'
                    || !label.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                            || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv6(String address) {
        if (address.length() < 2 || address.length() > 45) {
            return false;
        }
        String body = address;
        int lastColon = address.lastIndexOf(':');
        if (lastColon < 0) {
            return false;
        }
        if (address.indexOf('.', lastColon) >= 0) {
            // ::ffff:192.0.2.1 - the IPv4 address stands for the last two groups
            if (!isIpv4(address.substring(lastColon + 1))) {
                return false;
            }
            body = address.substring(0, lastColon + 1) + "0:0";
        }
        int gap = body.indexOf("::");
        if (gap < 0) {
            return hexGroups(body) == 8;
        }
        if (body.indexOf("::", gap + 1) >= 0) {
            return false;
        }
        int left = gap == 0 ? 0 : hexGroups(body.substring(0, gap));
        int right = gap + 2 == body.length() ? 0 : hexGroups(body.substring(gap + 2));
        return left >= 0 && right >= 0 && left + right <= 7;
    }

    /** The number of {@code :}-separated groups of 1 to 4 hex digits, or -1 if one is not. */
    private static int hexGroups(String text) {
        String[] groups = text.split(":", -1);
        for (String g : groups) {
            if (g.isEmpty() || g.length() > 4 || !g.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 128)) {
                return -1;
            }
        }
        return groups.length;
    }
}
