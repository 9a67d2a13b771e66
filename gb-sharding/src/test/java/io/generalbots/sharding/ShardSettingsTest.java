package io.generalbots.sharding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigException;
import org.junit.jupiter.api.Test;

class ShardSettingsTest {

    private static ShardSettings parse(String text) {
        return ShardSettings.from(BotConfig.parse("config.csv", text));
    }

    private static String errors(String text) {
        try {
            parse(text);
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected errors for " + text);
    }

    @Test
    void defaultsAreTheSeeds() {
        ShardSettings s = ShardSettings.ofDefaults();
        assertThat(s.strategy()).isEqualTo(ShardStrategy.NONE);
        assertThat(s.tenantDbPrefix()).isEqualTo("gb_tenant_");
        assertThat(s.count()).isEqualTo(4);
        assertThat(s.keyColumn()).isEqualTo("user_id");
        assertThat(s.algorithm()).isEqualTo(ShardAlgorithm.MODULO);
        assertThat(s.poolSize()).isEqualTo(10);
        assertThat(s.connectionBudget()).isEqualTo(100);
    }

    @Test
    void seedExamplesParse() {
        ShardSettings hash = parse("shard-strategy,hash\nshard-count,4\nshard-key,user_id\nshard-algorithm,modulo\n");
        assertThat(ShardRouter.of(hash).route(12345L)).isEqualTo("shard-1");
        ShardSettings range = parse("shard-strategy,range\nshard-ranges,0-999999:shard1,1000000-1999999:shard2,2000000-:shard3\n");
        assertThat(ShardRouter.of(range).route(1_500_000L)).isEqualTo("shard2");
        ShardSettings geo = parse("shard-strategy,geo\nshard-geo-us,postgres-us.example.com\n"
                + "shard-geo-eu,postgres-eu.example.com\nshard-geo-asia,postgres-asia.example.com\n"
                + "shard-default,postgres-us.example.com\n");
        assertThat(ShardRouter.of(geo).route("asia")).isEqualTo("postgres-asia.example.com");
        assertThat(ShardRouter.of(geo).route("br")).isEqualTo("postgres-us.example.com");
        ShardSettings tenant = parse("shard-strategy,tenant\nshard-tenant-db-prefix,gb_tenant_\nshard-auto-create,true\n");
        assertThat(ShardRouter.of(tenant).route("acme")).isEqualTo("gb_tenant_acme");
        assertThat(tenant.autoCreate()).isTrue();
    }

    @Test
    void rangeErrorsCarryTheLine() {
        assertThat(errors("# ranges\nshard-strategy,range\nshard-ranges,0-9:a,5-19:b\n"))
                .contains("config.csv:3: shard-ranges item 2 \"5-19:b\" overlaps item 1 \"0-9:a\", but was \"0-9:a,5-19:b\"");
        assertThat(errors("shard-strategy,range\n")).contains("config.csv:1: shard-strategy range needs shard-ranges");
    }

    @Test
    void geoWithoutDefaultIsAnError() {
        assertThat(errors("shard-strategy,geo\nshard-geo-us,pg-us\n"))
                .contains("config.csv:2: shard-geo-* entries need shard-default for the other regions, but shard-default is not set");
        assertThat(errors("shard-strategy,geo\n")).contains("config.csv:1: shard-strategy geo needs shard-default");
    }

    @Test
    void badValuesAreReportedTogether() {
        String message = errors("shard-strategy,sharded\nshard-count,0\nshard-algorithm,ring\nshard-tenant-db-prefix,gb-t\n"
                + "shard-url-template,jdbc:postgresql://{hots}/x\nshard-pool-size,50\nshard-connection-budget,20\n");
        assertThat(message)
                // this test class path has a ShardStrategyProvider (ShardStrategyPluginTest), so its name is listed
                .contains("config.csv:1: shard-strategy must be one of tenant, hash, range, geo or a ShardStrategyProvider: "
                        + "last-digit, but was \"sharded\"")
                .contains("config.csv:2: shard-count must be an integer from 1 to 65536, but was \"0\"")
                .contains("config.csv:3: shard-algorithm must be one of modulo, jump, but was \"ring\"")
                .contains("config.csv:4: shard-tenant-db-prefix must be an ASCII letter or _ followed by letters, digits or _")
                .contains("config.csv:5: shard-url-template must be a JDBC URL (jdbc:...) whose placeholders are {shard}, "
                        + "{host} and {database}, but was \"jdbc:postgresql://{hots}/x\"")
                .contains("config.csv:7: shard-connection-budget must be at least shard-pool-size (50), but was \"20\"");
    }

    @Test
    void autoCreateNeedsABudgetOfTwoAlreadyWhenTheFileIsChecked() {
        assertThat(errors("shard-strategy,tenant\nshard-auto-create,true\nshard-pool-size,1\nshard-connection-budget,1\n"))
                .contains("config.csv:4: shard-connection-budget must be at least 2 with shard-auto-create (one connection "
                        + "is kept for CREATE DATABASE), but was \"1\"");
    }

    @Test
    void aPoolLargerThanTheDefaultBudgetIsReportedOnItsOwnLine() {
        assertThat(errors("bot-name,x\nshard-pool-size,101\n"))
                .contains("config.csv:2: shard-pool-size must be at most shard-connection-budget (100), but was \"101\"");
    }

    @Test
    void urlsComeFromTheTemplateOrTheOverride() {
        ShardSettings s = parse("shard-strategy,hash\nshard-host,db1:5432,db2:5432\n"
                + "shard-url-shard-2,jdbc:postgresql://special/x\n");
        assertThat(s.urlOf("shard-0")).isEqualTo("jdbc:postgresql://db1:5432,db2:5432/shard_0");
        assertThat(s.urlOf("shard-2")).isEqualTo("jdbc:postgresql://special/x");
        ShardSettings t = parse("shard-strategy,tenant\nshard-url-template,jdbc:postgresql://h/{database}?ApplicationName={shard}\n");
        assertThat(t.urlOf("gb_tenant_a")).isEqualTo("jdbc:postgresql://h/gb_tenant_a?ApplicationName=gb_tenant_a");
        assertThat(t.adminUrl()).isEqualTo("jdbc:postgresql://h/postgres?ApplicationName=admin");
        ShardSettings g = parse("shard-strategy,geo\nshard-default,pg-us:5432\n");
        assertThat(g.urlOf("pg-us:5432")).isEqualTo("jdbc:postgresql://pg-us:5432/botserver");
    }

    @Test
    void dataSourceNeedsAStrategyAndRoomForAdmin() {
        assertThatThrownBy(() -> ShardedDataSource.custom(ShardSettings.ofDefaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shard-strategy must be one of tenant, hash, range, geo to open shard pools, but was not set");
        try (ShardedDataSource ds = ShardedDataSource.custom(parse("shard-strategy,hash\nshard-pool-size,3\n"
                + "shard-connection-budget,10\n")).build()) {
            assertThat(ds.maxPools()).isEqualTo(3);
            assertThat(ds.urlOf("shard-1")).isEqualTo("jdbc:postgresql://localhost:5432/shard_1");
            assertThat(ds.openShards()).isEmpty();
        }
    }

    @Test
    void routerNeedsAStrategy() {
        assertThatThrownBy(() -> ShardRouter.of(ShardSettings.ofDefaults())).isInstanceOf(IllegalStateException.class)
                .hasMessage("shard-strategy is not set: it must be one of tenant, hash, range, geo to route keys");
    }

    @Test
    void geoAndDefaultHostsMustBeHostsSoNothingRidesIntoTheUrl() {
        String message = errors("shard-strategy,geo\n"
                + "shard-geo-eu,pg-eu/x?sslmode=disable\n"
                + "shard-geo-us,pg-us?user=postgres&password=x\n"
                + "shard-geo-br,user@pg-br:5432\n"
                + "shard-geo-asia,pg-asia:5432,pg-other:5432\n"
                + "shard-default,pg-us:5432/botserver?socketFactory=x\n");
        assertThat(message).isEqualTo(String.join("\n",
                "config.csv:2: shard-geo-eu must be a host name or address, but was \"pg-eu/x?sslmode=disable\"",
                "config.csv:3: shard-geo-us must be a host name or address, but was \"pg-us?user=postgres&password=x\"",
                "config.csv:4: shard-geo-br must be a host name or address, but was \"user@pg-br:5432\"",
                "config.csv:5: shard-geo-asia must be a host name or address, but was \"pg-asia:5432,pg-other:5432\"",
                "config.csv:6: shard-default must be a host name or address, but was "
                        + "\"pg-us:5432/botserver?socketFactory=x\""));
        ShardSettings ok = parse("shard-strategy,geo\nshard-geo-eu,10.0.0.7:5433\nshard-geo-us,[2001:db8::7]:5432\n"
                + "shard-geo-asia,PG-Asia.example.com\nshard-default,[::1]\n");
        assertThat(ok.geoHosts()).containsEntry("eu", "10.0.0.7:5433").containsEntry("us", "[2001:db8::7]:5432");
        assertThat(ok.urlOf("[2001:db8::7]:5432")).isEqualTo("jdbc:postgresql://[2001:db8::7]:5432/botserver");
    }

    @Test
    void shardHostIsAListOfHosts() {
        assertThat(errors("shard-strategy,hash\nshard-host,db1:5432,db2:5432?ssl=false\n")).isEqualTo(
                "config.csv:2: shard-host must be a host or host:port, or several separated by commas, but was "
                        + "\"db1:5432,db2:5432?ssl=false\"");
        assertThat(errors("shard-strategy,hash\nshard-host,db1:5432,,db2\n")).startsWith("config.csv:2: shard-host must be");
        assertThat(parse("shard-strategy,hash\nshard-host,db1:5432,10.0.0.2,[::1]:6432\n").host())
                .isEqualTo("db1:5432,10.0.0.2,[::1]:6432");
    }

    @Test
    void hostsAreNamesIpv4OrBracketedIpv6WithAnOptionalPort() {
        assertThat(List.of("pg", "pg-eu.example.com", "PG1", "a.b-c.d", "10.0.0.1", "255.255.255.255", "pg:1",
                "pg:65535", "10.0.0.1:5432", "[::1]", "[::]", "[2001:db8::1]:5432", "[1:2:3:4:5:6:7:8]",
                "[::ffff:192.0.2.1]", "[fe80::1:2]:80", "x".repeat(63) + ".com"))
                .allMatch(ShardNames::isHostAndPort);
        assertThat(java.util.Arrays.asList("", null, "pg/db", "pg?x=1", "pg#f", "pg:0", "pg:65536", "pg:", "pg:54a",
                "pg:5432:1", "::1", "[::1", "[::1]5432", "[::1]:x", "[1:2:3:4:5:6:7:8:9]", "[1::2::3]", "[12345::]",
                "[g::1]", "[::1.2.3]", "256.0.0.1", "1.2.3", "1.2.3.4.5", "pg_eu", "-pg", "pg-", "a..b", ".pg", "pg.",
                "pg eu", "user@pg", "pg,pg2", "x".repeat(64) + ".com", "p\u00e9", "pg\u0000"))
                .noneMatch(ShardNames::isHostAndPort);
    }

    @Test
    void strictTenantModeRefusesIdsThatAreNotInNormalForm() {
        ShardSettings loose = parse("shard-strategy,tenant\n");
        assertThat(loose.tenantStrict()).isFalse();
        ShardRouter merged = ShardRouter.of(loose);
        assertThat(List.of("Acme-EU", "acme_eu", "ACME-eu").stream().map(merged::route)).containsOnly("gb_tenant_acme_eu");

        ShardSettings strict = parse("shard-strategy,tenant\nshard-tenant-strict,true\n");
        assertThat(strict.tenantStrict()).isTrue();
        ShardRouter router = ShardRouter.of(strict);
        assertThat(router.route("acme_eu")).isEqualTo("gb_tenant_acme_eu");
        assertThat(router.route(42L)).isEqualTo("gb_tenant_42");
        String rule = "with shard-tenant-strict a tenant id must be 1 to 53 lower-case ASCII letters, digits or _ "
                + "(so that no two ids share a database and gb_tenant_ID fits PostgreSQL's 63-byte names)";
        assertThatThrownBy(() -> router.route("Acme-EU")).isInstanceOf(ShardRoutingException.class)
                .hasMessage("tenant id \"Acme-EU\" is refused: it contains 'A' (U+0041); " + rule);
        assertThatThrownBy(() -> router.route("acme-eu"))
                .hasMessage("tenant id \"acme-eu\" is refused: it contains '-' (U+002D); " + rule);
        assertThatThrownBy(() -> router.route("")).hasMessage("tenant id \"\" is refused: it is empty; " + rule);
        assertThat(errors("shard-strategy,tenant\nshard-tenant-strict,yes\n"))
                .isEqualTo("config.csv:2: shard-tenant-strict must be true or false, but was \"yes\"");
    }
}
