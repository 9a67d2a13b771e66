package io.generalbots.sharding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class RebalancePlannerTest {

    private static RangeShardRouter ranges(String text) {
        return new RangeShardRouter(ShardRange.parseList(text));
    }

    @Test
    void rangeChangesAreExactIntervals() {
        RebalancePlan plan = RebalancePlanner.plan(ranges("0-999:a,1000-1999:b"),
                ranges("0-499:a,500-1499:b,1500-1999:c"), 10);
        assertThat(plan.exact()).isTrue();
        assertThat(plan.keysConsidered()).isEqualTo(2000);
        assertThat(plan.keysMoved()).isEqualTo(1000);
        assertThat(plan.movedFraction()).isEqualTo(0.5);
        assertThat(plan.moves()).extracting(Object::toString).containsExactly("a -> b: 500", "b -> c: 500");
        assertThat(plan.intervals()).extracting(Object::toString).containsExactly("500-999: a -> b", "1500-1999: b -> c");
        assertThat(plan.note()).isEmpty();
    }

    @Test
    void openTailsAreCountedUpToTheLastWrittenBoundAndAMovingTailIsNoted() {
        RebalancePlan same = RebalancePlanner.plan(ranges("0-999:a,1000-:b"), ranges("0-499:a,500-:b"), 10);
        assertThat(same.movedFraction()).isEqualTo(0.5);
        assertThat(same.note()).isEmpty();
        RebalancePlan tail = RebalancePlanner.plan(ranges("0-999:a,1000-:b"), ranges("0-999:a,1000-1999:b,2000-:c"), 10);
        assertThat(tail.keysConsidered()).isEqualTo(2000);
        assertThat(tail.keysMoved()).isZero();
        assertThat(tail.note()).contains("keys from 2000 up (open-ended) also move b -> c; they are not counted");
    }

    @Test
    void keysTheNewRangesDropAreUnroutable() {
        RebalancePlan plan = RebalancePlanner.plan(ranges("0-99:a"), ranges("50-99:a"), 10);
        assertThat(plan.moves()).extracting(Object::toString).containsExactly("a -> (unroutable): 50");
    }

    @Test
    void moduloFourToFiveMovesEightyPercentJumpTwenty() {
        RebalancePlan modulo = RebalancePlanner.plan(new HashShardRouter(ShardAlgorithm.MODULO, 4),
                new HashShardRouter(ShardAlgorithm.MODULO, 5), 100_000);
        assertThat(modulo.movedFraction()).isEqualTo(0.8);
        assertThat(modulo.exact()).isFalse();
        RebalancePlan jump = RebalancePlanner.plan(new HashShardRouter(ShardAlgorithm.JUMP, 4),
                new HashShardRouter(ShardAlgorithm.JUMP, 5), 100_000);
        assertThat(jump.movedFraction()).isBetween(0.19, 0.21);
        assertThat(jump.moves()).allMatch(m -> m.to().equals("shard-4"));
    }

    @Test
    void geoChangesAreExactOverTheNamedRegions() {
        RebalancePlan plan = RebalancePlanner.plan(new GeoShardRouter(Map.of("us", "h1", "eu", "h2"), "h1"),
                new GeoShardRouter(Map.of("us", "h1", "eu", "h3"), "h1"), 10);
        assertThat(plan.keysConsidered()).isEqualTo(3);
        assertThat(plan.moves()).extracting(Object::toString).containsExactly("h2 -> h3: 1");
    }

    @Test
    void tenantPrefixChangesMoveEveryTenantOnOneLine() {
        RebalancePlan plan = RebalancePlanner.plan(new TenantShardRouter("gb_tenant_"), new TenantShardRouter("t_"), 1000);
        assertThat(plan.movedFraction()).isEqualTo(1.0);
        assertThat(plan.moves()).extracting(Object::toString).containsExactly("gb_tenant_* -> t_*: 1000");
        assertThat(RebalancePlanner.plan(new TenantShardRouter("a_"), new TenantShardRouter("a_"), 10).moves()).isEmpty();
    }

    @Test
    void naturalOrderPutsShardTwoBeforeShardTen() {
        assertThat(RebalancePlanner.NaturalOrder.INSTANCE.compare("shard-2", "shard-10")).isNegative();
        assertThat(RebalancePlanner.NaturalOrder.INSTANCE.compare("shard-10", "shard-10")).isZero();
        assertThatThrownBy(() -> RebalancePlanner.plan(ranges("0-1:a"), ranges("0-1:a"), 0))
                .hasMessage("--keys must be from 1 to 2147483647, but was 0");
    }

    @Test
    void balanceOfJumpOverAMillionRandomKeysIsWithinOnePercent() {
        SplittableRandom random = new SplittableRandom(42);
        long[] keys = random.longs(1_000_000).toArray();
        BalanceReport jump = BalanceReport.sample(new HashShardRouter(ShardAlgorithm.JUMP, 16), keys.length,
                i -> keys[(int) i], 1.2);
        assertThat(jump.total()).isEqualTo(1_000_000);
        assertThat(jump.imbalance()).isLessThan(1.01);
        assertThat(jump.hasHotspot()).isFalse();
    }

    @Test
    void aHotspotIsFlagged() {
        BalanceReport report = BalanceReport.of(Map.of("a", 100L, "b", 100L, "c", 400L), 1.5);
        assertThat(report.mean()).isEqualTo(200.0);
        assertThat(report.imbalance()).isEqualTo(2.0);
        assertThat(report.hotspots()).containsExactly("c");
        assertThatThrownBy(() -> BalanceReport.of(Map.of(), 0.5))
                .hasMessage("shard-hotspot-ratio must be from 1.0 to 1000.0, but was 0.5");
    }
}
