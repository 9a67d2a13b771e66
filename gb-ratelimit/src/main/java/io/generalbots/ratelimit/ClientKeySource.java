package io.generalbots.ratelimit;

import java.util.Locale;
import java.util.Objects;

/**
 * What identifies a client ({@code rate-limit-by}): {@code ip}, {@code user}, {@code bot} or
 * {@code header:NAME}.
 *
 * @param kind   the kind
 * @param header the header name for {@link Kind#HEADER}, else null
 */
public record ClientKeySource(Kind kind, String header) {

    /** By client IP address (behind trusted proxies, the forwarded one). */
    public static final ClientKeySource IP = new ClientKeySource(Kind.IP, null);

    /** The kinds of client key. */
    public enum Kind {
        /** The client IP address. */
        IP,
        /** The authenticated user. */
        USER,
        /** The bot being talked to. */
        BOT,
        /** A request header's value. */
        HEADER
    }

    /**
     * Checks the fields.
     *
     * @param kind   the kind
     * @param header the header name, only for HEADER
     */
    public ClientKeySource {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.HEADER) != (header != null && !header.isBlank())) {
            throw new IllegalArgumentException("header must be given exactly for header:NAME, but was " + header);
        }
    }

    /**
     * Parses {@code ip}, {@code user}, {@code bot} or {@code header:NAME} (ignoring case of the kind).
     *
     * @param text the value
     * @return the source, or null if the text is none of these
     */
    public static ClientKeySource parse(String text) {
        String t = text.trim();
        String lower = t.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "ip":
                return IP;
            case "user":
                return new ClientKeySource(Kind.USER, null);
            case "bot":
                return new ClientKeySource(Kind.BOT, null);
            default:
                if (lower.startsWith("header:") && t.substring(7).trim().matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                    return new ClientKeySource(Kind.HEADER, t.substring(7).trim());
                }
                return null;
        }
    }

    @Override
    public String toString() {
        return kind == Kind.HEADER ? "header:" + header : kind.name().toLowerCase(Locale.ROOT);
    }
}
