package io.generalbots.sharding;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Tenant routing: tenant id to database {@code PREFIX + id} ({@code shard-tenant-db-prefix},
 * default {@code gb_tenant_}), validated before any SQL exists.
 *
 * <p>Rule for tenant ids: 1 or more ASCII letters, digits, {@code _} or {@code -}; letters are
 * taken in lower case and {@code -} becomes {@code _}, so {@code Acme-EU} is database
 * {@code gb_tenant_acme_eu}; the database name must fit PostgreSQL's 63 bytes. Anything else is a
 * {@link ShardRoutingException} whose message names the rule.
 */
public final class TenantShardRouter implements ShardRouter {

    private final String prefix;
    private final int maxIdLength;

    /**
     * Creates the router.
     *
     * @param prefix the database name prefix, a plain identifier shorter than 63 bytes
     */
    public TenantShardRouter(String prefix) {
        if (!ShardNames.isIdentifier(prefix) || prefix.length() >= ShardNames.MAX_IDENTIFIER_BYTES) {
            throw new IllegalArgumentException("shard-tenant-db-prefix must be an ASCII letter or _ followed by letters, "
                    + "digits or _, at most 62 bytes, but was \"" + prefix + "\"");
        }
        this.prefix = prefix;
        this.maxIdLength = ShardNames.MAX_IDENTIFIER_BYTES - prefix.getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * The database of a tenant.
     *
     * @param tenantId the tenant id
     * @return {@code PREFIX + normalized id}
     * @throws ShardRoutingException if the id breaks the rule
     */
    public String databaseOf(String tenantId) {
        int n = tenantId.length();
        if (n == 0 || n > maxIdLength) {
            throw refused(tenantId, n == 0 ? "it is empty" : "it is " + n + " characters long");
        }
        char[] out = new char[n];
        for (int i = 0; i < n; i++) {
            char c = tenantId.charAt(i);
            if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
                out[i] = c;
            } else if (c >= 'A' && c <= 'Z') {
                out[i] = (char) (c + ('a' - 'A'));
            } else if (c == '-') {
                out[i] = '_';
            } else {
                throw refused(tenantId, "it contains " + describe(c));
            }
        }
        return prefix.concat(new String(out));
    }

    private ShardRoutingException refused(String id, String why) {
        return new ShardRoutingException(id, "tenant id \"" + printable(id) + "\" is refused: " + why + "; a tenant id "
                + "must be 1 to " + maxIdLength + " ASCII letters, digits, _ or - (so that " + prefix
                + "ID fits PostgreSQL's 63-byte names)");
    }

    private static String describe(char c) {
        if (c < 0x20 || c == 0x7f) {
            return String.format("the control character U+%04X", (int) c);
        }
        return String.format("'%c' (U+%04X)", c, (int) c);
    }

    private static String printable(String id) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < id.length() && i < 80; i++) {
            char c = id.charAt(i);
            sb.append(c < 0x20 || c == 0x7f || c == '"' ? '?' : c);
        }
        return id.length() > 80 ? sb.append("...").toString() : sb.toString();
    }

    @Override
    public String route(long key) {
        return databaseOf(Long.toString(key));
    }

    @Override
    public String route(String key) {
        return databaseOf(key);
    }

    @Override
    public ShardStrategy strategy() {
        return ShardStrategy.TENANT;
    }

    /**
     * The database name prefix.
     *
     * @return the prefix
     */
    public String prefix() {
        return prefix;
    }

    @Override
    public List<String> targets() {
        return List.of();
    }
}
