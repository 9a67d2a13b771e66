package io.generalbots.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.Test;

/**
 * gb-scale route and check with a shard strategy of one's own ({@link EvenOddStrategy}, listed in
 * this test tree's META-INF/services).
 */
class ShardStrategyPluginCommandsTest extends InProcessGbScale {

    @Test
    void routePrintsThePlugInsTargetsAndItsRoutingErrors() throws IOException {
        String cfg = file("eo.csv", "shard-strategy,even-odd\n");
        assertThat(run("route", cfg, "1", "2", "x", "-7")).isEqualTo(1);
        assertThat(out).isEqualTo("1\tshard-odd\n2\tshard-even\n-7\tshard-odd\n");
        assertThat(err).isEqualTo("gb-scale route: key \"x\" is not an integer: even-odd routes integers\n");
    }

    @Test
    void checkAcceptsThePlugInsName() throws IOException {
        String cfg = file("eo.csv", "shard-strategy,Even-Odd\n");
        assertThat(run("check", cfg)).isZero();
        assertThat(out.lines()).contains("shard-strategy = Even-Odd  (line 1)");
        assertThat(err).isEmpty();
    }

    @Test
    void checkListsThePlugInsWhenTheNameIsUnknown() throws IOException {
        String cfg = file("oe.csv", "shard-strategy,odd-even\n");
        assertThat(run("check", cfg)).isEqualTo(2);
        assertThat(err).isEqualTo(cfg + ":1: shard-strategy must be one of tenant, hash, range, geo or a "
                + "ShardStrategyProvider: even-odd, but was \"odd-even\"\n");
        assertThat(run("route", cfg, "1")).isEqualTo(2);
        assertThat(out).isEmpty();
    }

    @Test
    void checkAndRouteRefuseSettingsThePlugInRefuses() throws IOException {
        String cfg = file("jump.csv", "shard-strategy,even-odd\nshard-algorithm,jump\n");
        String expected = cfg + ":1: shard-strategy even-odd cannot route with these settings: even-odd routes by "
                + "parity, so shard-algorithm must be modulo, but was jump\n";
        assertThat(run("check", cfg)).isEqualTo(2);
        assertThat(err).isEqualTo(expected);
        assertThat(run("route", cfg, "1")).isEqualTo(2);
        assertThat(out).isEmpty();
        assertThat(err).isEqualTo(expected);
    }
}
