package io.generalbots.sharding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RoutersTest {

    @Test
    void moduloRoutesTheSeedsExample() {
        HashShardRouter router = new HashShardRouter(ShardAlgorithm.MODULO, 4);
        assertThat(router.route(12345L)).isEqualTo("shard-1");
        assertThat(router.route(12345)).isEqualTo("shard-1");
        assertThat(router.route("12345")).isEqualTo("shard-1");
        assertThat(router.targets()).containsExactly("shard-0", "shard-1", "shard-2", "shard-3");
    }

    @Test
    void negativeIntegersUseFloorMod() {
        HashShardRouter router = new HashShardRouter(ShardAlgorithm.MODULO, 4);
        assertThat(router.route(-1L)).isEqualTo("shard-3");
        assertThat(router.route("-1")).isEqualTo("shard-3");
        assertThat(router.route(Long.MIN_VALUE)).isEqualTo("shard-0");
    }

    @Test
    void textKeysUseUnsignedRemainderOfFnv() {
        HashShardRouter router = new HashShardRouter(ShardAlgorithm.MODULO, 7);
        long h = ShardKeys.fnv1a64("alice@example.com");
        assertThat(router.route("alice@example.com")).isEqualTo("shard-" + Long.remainderUnsigned(h, 7));
        assertThat(router.route("007")).isEqualTo("shard-" + Long.remainderUnsigned(ShardKeys.fnv1a64("007"), 7));
    }

    @Test
    void jumpRoutesLongIntAndStringAlike() {
        HashShardRouter router = new HashShardRouter(ShardAlgorithm.JUMP, 16);
        for (long k = -1000; k < 1000; k++) {
            assertThat(router.route(String.valueOf(k))).isEqualTo(router.route(k));
            assertThat(router.route((int) k)).isEqualTo(router.route(k));
        }
        assertThat(router.route("tenant-x")).isEqualTo("shard-" + ShardKeys.jump(ShardKeys.fnv1a64("tenant-x"), 16));
    }

    @Test
    void rangeRoutesByBinarySearchAndRefusesKeysOutside() {
        RangeShardRouter router = new RangeShardRouter(
                ShardRange.parseList("0-999999:shard1,1000000-1999999:shard2,2000000-:shard3"));
        assertThat(router.route(0L)).isEqualTo("shard1");
        assertThat(router.route(999_999L)).isEqualTo("shard1");
        assertThat(router.route("1000000")).isEqualTo("shard2");
        assertThat(router.route(Long.MAX_VALUE)).isEqualTo("shard3");
        assertThatThrownBy(() -> router.route(-5L)).isInstanceOf(ShardRoutingException.class)
                .hasMessage("key -5 is outside every shard range (shard-ranges covers 0-)");
        assertThatThrownBy(() -> router.route("abc")).isInstanceOf(ShardRoutingException.class)
                .hasMessage("key \"abc\" is not an integer, so no shard range holds it (shard-ranges covers 0-)");
        RangeShardRouter closed = new RangeShardRouter(ShardRange.parseList("10-19:a,20-29:b"));
        assertThatThrownBy(() -> closed.route(30L)).hasMessage("key 30 is outside every shard range (shard-ranges covers 10-29)");
        assertThat(((ShardRoutingException) catchThrowable(() -> closed.route(30L))).key()).isEqualTo("30");
    }

    private static Throwable catchThrowable(Runnable r) {
        try {
            r.run();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    @Test
    void rangeListErrorsNameTheItemAndTheRule() {
        assertThatThrownBy(() -> ShardRange.parseList("0-9:a,5-19:b"))
                .hasMessage("item 2 \"5-19:b\" overlaps item 1 \"0-9:a\"");
        assertThatThrownBy(() -> ShardRange.parseList("0-9:a,20-29:b"))
                .hasMessage("item 2 \"20-29:b\" leaves a gap: keys 10-19 are in no range");
        assertThatThrownBy(() -> ShardRange.parseList("10-19:a,0-9:b"))
                .hasMessage("item 2 \"0-9:b\" is out of order: ranges must be ascending, but it starts before item 1 \"10-19:a\"");
        assertThatThrownBy(() -> ShardRange.parseList("0-:a,10-19:b"))
                .hasMessage("item 1 \"0-:a\" is open-ended, but only the last range may be");
        assertThatThrownBy(() -> ShardRange.parseList("0-9a"))
                .hasMessage("item 1 \"0-9a\" must be LOW-HIGH:NAME or LOW-:NAME (integers, NAME of letters, digits, _ . -)");
        assertThatThrownBy(() -> ShardRange.parseList("9-0:a"))
                .hasMessage("item 1 \"9-0:a\" must have LOW <= HIGH");
        assertThat(ShardRange.parseList("-10--1:neg,0-:pos")).extracting(ShardRange::shard).containsExactly("neg", "pos");
    }

    @Test
    void rangeRoutingScalesToAThousandRanges() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            sb.append(i == 0 ? "" : ",").append(i * 1000L).append('-').append(i * 1000L + 999).append(":r").append(i);
        }
        RangeShardRouter router = new RangeShardRouter(ShardRange.parseList(sb.toString()));
        assertThat(router.route(0L)).isEqualTo("r0");
        assertThat(router.route(500_500L)).isEqualTo("r500");
        assertThat(router.route(999_999L)).isEqualTo("r999");
    }

    @Test
    void geoRoutesUnknownRegionsToTheDefault() {
        GeoShardRouter router = new GeoShardRouter(Map.of("us", "pg-us", "eu", "pg-eu"), "pg-us");
        assertThat(router.route("eu")).isEqualTo("pg-eu");
        assertThat(router.route("EU")).isEqualTo("pg-eu");
        assertThat(router.route("mars")).isEqualTo("pg-us");
        assertThat(router.targets()).containsExactlyInAnyOrder("pg-us", "pg-eu");
    }

    @Test
    void tenantIdsAreValidatedAndNormalized() {
        TenantShardRouter router = new TenantShardRouter("gb_tenant_");
        assertThat(router.route("acme")).isEqualTo("gb_tenant_acme");
        assertThat(router.route("Acme-EU_2")).isEqualTo("gb_tenant_acme_eu_2");
        assertThat(router.route(42L)).isEqualTo("gb_tenant_42");
        assertThat(router.route("x".repeat(53))).hasSize(63);
        String rule = "a tenant id must be 1 to 53 ASCII letters, digits, _ or - (so that gb_tenant_ID fits PostgreSQL's "
                + "63-byte names)";
        assertThatThrownBy(() -> router.route("x".repeat(54))).isInstanceOf(ShardRoutingException.class)
                .hasMessage("tenant id \"" + "x".repeat(54) + "\" is refused: it is 54 characters long; " + rule);
        assertThatThrownBy(() -> router.route("acme\"; DROP DATABASE x; --"))
                .hasMessage("tenant id \"acme?; DROP DATABASE x; --\" is refused: it contains '\"' (U+0022); " + rule);
        assertThatThrownBy(() -> router.route("")).hasMessage("tenant id \"\" is refused: it is empty; " + rule);
        assertThatThrownBy(() -> router.route("café")).hasMessage("tenant id \"café\" is refused: it contains 'é' (U+00E9); " + rule);
        assertThatThrownBy(() -> new TenantShardRouter("bad-prefix"))
                .hasMessage("shard-tenant-db-prefix must be an ASCII letter or _ followed by letters, digits or _, "
                        + "at most 62 bytes, but was \"bad-prefix\"");
    }

    @Test
    void quotingRefusesAnythingButPlainIdentifiers() {
        assertThat(ShardNames.quoteIdentifier("gb_tenant_acme")).isEqualTo("\"gb_tenant_acme\"");
        assertThatThrownBy(() -> ShardNames.quoteIdentifier("a\"b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("but was \"a\"b\"");
        assertThat(List.of("a", "_x", "A9")).allMatch(ShardNames::isIdentifier);
    }
}
