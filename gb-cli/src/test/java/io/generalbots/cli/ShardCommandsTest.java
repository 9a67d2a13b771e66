package io.generalbots.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.Test;

class ShardCommandsTest extends InProcessGbScale {

    @Test
    void routesTheSeedsHashExample() throws IOException {
        String cfg = file("h.csv", "shard-strategy,hash\nshard-count,4\nshard-key,user_id\nshard-algorithm,modulo\n");
        assertThat(run("route", cfg, "12345", "0", "-1")).isZero();
        assertThat(out).isEqualTo("12345\tshard-1\n0\tshard-0\n-1\tshard-3\n");
        assertThat(err).isEmpty();
    }

    @Test
    void unroutableKeyGoesToStderrAndOthersStillPrint() throws IOException {
        String cfg = file("r.csv", "shard-strategy,range\nshard-ranges,0-999999:shard1,1000000-1999999:shard2\n");
        assertThat(run("route", cfg, "5", "2000000", "1000000")).isEqualTo(1);
        assertThat(out).isEqualTo("5\tshard1\n1000000\tshard2\n");
        assertThat(err).isEqualTo("gb-scale route: key 2000000 is outside every shard range (shard-ranges covers 0-1999999)\n");
    }

    @Test
    void routesGeoAndTenants() throws IOException {
        String geo = file("g.csv", "shard-strategy,geo\nshard-geo-eu,pg-eu\nshard-default,pg-us\n");
        assertThat(run("route", geo, "eu", "br")).isZero();
        assertThat(out).isEqualTo("eu\tpg-eu\nbr\tpg-us\n");
        String tenant = file("t.csv", "shard-strategy,tenant\n");
        assertThat(run("route", tenant, "acme", "bad;id")).isEqualTo(1);
        assertThat(out).isEqualTo("acme\tgb_tenant_acme\n");
        assertThat(err).contains("tenant id \"bad;id\" is refused: it contains ';' (U+003B)");
    }

    @Test
    void strictTenantModeRefusesIdsOutsideNormalFormWithExitOne() throws IOException {
        String loose = file("loose.csv", "shard-strategy,tenant\n");
        assertThat(run("route", loose, "Acme-EU", "acme_eu")).isZero();
        assertThat(out).isEqualTo("Acme-EU\tgb_tenant_acme_eu\nacme_eu\tgb_tenant_acme_eu\n");
        String strict = file("strict.csv", "shard-strategy,tenant\nshard-tenant-strict,true\n");
        assertThat(run("route", strict, "Acme-EU", "acme_eu")).isEqualTo(1);
        assertThat(out).isEqualTo("acme_eu\tgb_tenant_acme_eu\n");
        assertThat(err).isEqualTo("gb-scale route: tenant id \"Acme-EU\" is refused: it contains 'A' (U+0041); with "
                + "shard-tenant-strict a tenant id must be 1 to 53 lower-case ASCII letters, digits or _ (so that no two "
                + "ids share a database and gb_tenant_ID fits PostgreSQL's 63-byte names)\n");
    }

    @Test
    void aGeoHostWithAQueryIsBadConfig() throws IOException {
        String cfg = file("geo.csv", "shard-strategy,geo\nshard-geo-eu,pg-eu?sslmode=disable\nshard-default,pg-us\n");
        assertThat(run("route", cfg, "eu")).isEqualTo(2);
        assertThat(out).isEmpty();
        assertThat(err).isEqualTo(cfg + ":2: shard-geo-eu must be a host name or address, but was "
                + "\"pg-eu?sslmode=disable\"\n");
    }

    @Test
    void badConfigIsExitTwo() throws IOException {
        String cfg = file("bad.csv", "shard-strategy,range\nshard-ranges,0-9:a,5-19:b\n");
        assertThat(run("route", cfg, "1")).isEqualTo(2);
        assertThat(out).isEmpty();
        assertThat(err).contains("bad.csv:2: shard-ranges item 2 \"5-19:b\" overlaps item 1 \"0-9:a\"");
        String none = file("none.csv", "scale-enabled,true\n");
        assertThat(run("route", none, "1")).isEqualTo(2);
        assertThat(err).contains("shard-strategy is not set");
    }

    @Test
    void rebalanceOfRangesIsExact() throws IOException {
        String a = file("a.csv", "shard-strategy,range\nshard-ranges,0-999:a,1000-1999:b\n");
        String b = file("b.csv", "shard-strategy,range\nshard-ranges,0-499:a,500-1499:b,1500-1999:c\n");
        assertThat(run("rebalance", a, b)).isZero();
        assertThat(out).isEqualTo("moved: 0.5\na -> b: 500\nb -> c: 500\n");
    }

    @Test
    void rebalanceOfHashesComparesModuloAndJump() throws IOException {
        String m4 = file("m4.csv", "shard-strategy,hash\nshard-count,4\n");
        String m5 = file("m5.csv", "shard-strategy,hash\nshard-count,5\n");
        assertThat(run("rebalance", m4, m5, "--keys", "20")).isZero();
        assertThat(out).startsWith("moved: 0.8\nshard-0 -> shard-1: 1\n");
        String j4 = file("j4.csv", "shard-strategy,hash\nshard-count,4\nshard-algorithm,jump\n");
        String j5 = file("j5.csv", "shard-strategy,hash\nshard-count,5\nshard-algorithm,jump\n");
        assertThat(run("rebalance", j4, j5, "--keys", "100000")).isZero();
        String[] lines = out.split("\n");
        assertThat(Double.parseDouble(lines[0].substring("moved: ".length()))).isBetween(0.19, 0.21);
        assertThat(lines).hasSize(5).allMatch(l -> l.startsWith("moved: ") || l.matches("shard-[0-3] -> shard-4: \\d+"));
    }

    @Test
    void rebalanceRefusesBadKeys() throws IOException {
        String m4 = file("m4.csv", "shard-strategy,hash\n");
        assertThat(run("rebalance", m4, m4, "--keys", "0")).isEqualTo(2);
        assertThat(err).contains("--keys must be at least 1, but was 0");
        assertThat(run("rebalance", m4, m4)).isZero();
        assertThat(out).isEqualTo("moved: 0\n");
    }
}
