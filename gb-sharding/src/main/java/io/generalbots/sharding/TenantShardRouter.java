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
 *
 * <p>That normalisation makes ids that differ only in case or {@code -}/{@code _} ({@code Acme-EU},
 * {@code acme_eu}, {@code ACME-eu}) one tenant with one database. In <em>strict</em> mode
 * ({@code shard-tenant-strict,true}) only ids already in normal form are accepted: lower-case ASCII
 * letters, digits and {@code _}. Each accepted id is then its own database name suffix, so two
 * distinct ids can never share a database; {@code Acme-EU} is refused instead of being merged.
 */
public final class TenantShardRouter implements ShardRouter {

    private final String prefix;
    private final int maxIdLength;
    private final boolean strict;

    /**
     * Creates the router that normalises ids (case and {@code -} folded).
     *
     * @param prefix the database name prefix, a plain identifier shorter than 63 bytes
     */
    public TenantShardRouter(String prefix) {
        this(prefix, false);
    }

    /**
     * Creates the router.
     *
     * @param prefix the database name prefix, a plain identifier shorter than 63 bytes
     * @param strict whether only ids already in normal form (lower-case letters, digits, {@code _})
     *               are accepted ({@code shard-tenant-strict})
     */
    public TenantShardRouter(String prefix, boolean strict) {
        if (!ShardNames.isIdentifier(prefix) || prefix.length() >= ShardNames.MAX_IDENTIFIER_BYTES) {
            throw new IllegalArgumentException("shard-tenant-db-prefix must be an ASCII letter or _ followed by letters, "
                    + "digits or _, at most 62 bytes, but was \"" + prefix + "\"");
        }
        this.prefix = prefix;
        this.strict = strict;
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
            } else if (c >= 'A' && c <= 'Z' && !strict) {
                out[i] = (char) (c + ('a' - 'A'));
            } else if (c == '-' && !strict) {
                out[i] = '_';
            } else {
                throw refused(tenantId, "it contains " + describe(c));
            }
        }
        return prefix.concat(new String(out));
    }

    private ShardRoutingException refused(String id, String why) {
        String rule = strict
                ? "with shard-tenant-strict a tenant id must be 1 to " + maxIdLength + " lower-case ASCII letters, "
                        + "digits or _ (so that no two ids share a database and " + prefix
                        + "ID fits PostgreSQL's 63-byte names)"
                : "a tenant id must be 1 to " + maxIdLength + " ASCII letters, digits, _ or - (so that " + prefix
                        + "ID fits PostgreSQL's 63-byte names)";
        return new ShardRoutingException(id, "tenant id \"" + printable(id) + "\" is refused: " + why + "; " + rule);
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
     * Whether only ids already in normal form are accepted.
     *
     * @return true in strict mode
     */
    public boolean strict() {
        return strict;
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
