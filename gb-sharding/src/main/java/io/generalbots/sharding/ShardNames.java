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
}
