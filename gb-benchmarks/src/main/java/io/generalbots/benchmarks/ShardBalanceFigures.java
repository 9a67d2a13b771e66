package io.generalbots.benchmarks;

import java.util.SplittableRandom;

import com.google.common.hash.Hashing;
import io.generalbots.sharding.BalanceReport;
import io.generalbots.sharding.HashShardRouter;
import io.generalbots.sharding.ShardAlgorithm;

/**
 * The balance figures of issue 3 (not timings, so not JMH): 1,000,000 random keys on 16 shards,
 * max/mean for modulo and jump; and the fraction of keys moved from 16 to 17 shards, for
 * gb-sharding's modulo and jump, Guava's {@code consistentHash} and ShardingSphere's HASH_MOD.
 * Run: {@code java -cp gb-benchmarks/target/benchmarks.jar io.generalbots.benchmarks.ShardBalanceFigures}.
 */
public final class ShardBalanceFigures {

    private ShardBalanceFigures() {
    }

    /**
     * Prints the figures.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        int n = 1_000_000;
        long[] keys = new SplittableRandom(2026).longs(n).toArray();
        for (ShardAlgorithm algorithm : ShardAlgorithm.values()) {
            BalanceReport r = BalanceReport.sample(new HashShardRouter(algorithm, 16), n, i -> keys[(int) i], 1.2);
            System.out.printf("balance %-6s 16 shards, %d random keys: max/mean %.4f%n", algorithm, n, r.imbalance());
        }
        HashShardRouter m16 = new HashShardRouter(ShardAlgorithm.MODULO, 16);
        HashShardRouter m17 = new HashShardRouter(ShardAlgorithm.MODULO, 17);
        HashShardRouter j16 = new HashShardRouter(ShardAlgorithm.JUMP, 16);
        HashShardRouter j17 = new HashShardRouter(ShardAlgorithm.JUMP, 17);
        long movedModulo = 0;
        long movedJump = 0;
        long movedGuava = 0;
        long movedHashMod = 0;
        for (long k : keys) {
            movedModulo += m16.shardOf(k) != m17.shardOf(k) ? 1 : 0;
            movedJump += j16.shardOf(k) != j17.shardOf(k) ? 1 : 0;
            movedGuava += Hashing.consistentHash(k, 16) != Hashing.consistentHash(k, 17) ? 1 : 0;
            long h = Math.abs((long) Long.valueOf(k).hashCode());
            movedHashMod += h % 16 != h % 17 ? 1 : 0;
        }
        double ideal = 1.0 / 17;
        System.out.printf("moved 16->17 modulo      : %.4f (%.2f x 1/17)%n", movedModulo / (double) n, movedModulo / (double) n / ideal);
        System.out.printf("moved 16->17 jump        : %.4f (%.3f x 1/17)%n", movedJump / (double) n, movedJump / (double) n / ideal);
        System.out.printf("moved 16->17 guava jump  : %.4f (%.3f x 1/17)%n", movedGuava / (double) n, movedGuava / (double) n / ideal);
        System.out.printf("moved 16->17 ss HASH_MOD : %.4f (%.2f x 1/17)%n", movedHashMod / (double) n, movedHashMod / (double) n / ideal);
        int same = 0;
        for (long k : keys) {
            same += j16.shardOf(k) == Hashing.consistentHash(k, 16) ? 1 : 0;
        }
        System.out.printf("jump == guava consistentHash on %d of %d keys%n", same, n);
    }
}
