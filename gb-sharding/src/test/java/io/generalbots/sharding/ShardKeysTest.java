package io.generalbots.sharding;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class ShardKeysTest {

    @Test
    void fnv1a64MatchesThePublishedTestVectors() {
        assertThat(ShardKeys.fnv1a64("")).isEqualTo(0xcbf29ce484222325L);
        assertThat(ShardKeys.fnv1a64("a")).isEqualTo(0xaf63dc4c8601ec8cL);
        assertThat(ShardKeys.fnv1a64("foobar")).isEqualTo(0x85944171f73967e8L);
    }

    @Test
    void textHashEqualsTheHashOfItsUtf8Bytes() {
        for (String s : new String[] {"acme", "é", "日本語", "emoji \uD83D\uDE00", "lone \uD800 surrogate", "x\u07FFy"}) {
            assertThat(ShardKeys.fnv1a64(s)).as(s).isEqualTo(ShardKeys.fnv1a64(s.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void canonicalIntegersAreRecognizedAndOthersAreText() {
        assertThat(ShardKeys.isInteger("12345")).isTrue();
        assertThat(ShardKeys.isInteger("0")).isTrue();
        assertThat(ShardKeys.isInteger("-7")).isTrue();
        assertThat(ShardKeys.isInteger("9223372036854775807")).isTrue();
        assertThat(ShardKeys.isInteger("-9223372036854775808")).isTrue();
        assertThat(ShardKeys.isInteger("9223372036854775808")).isFalse();
        assertThat(ShardKeys.isInteger("-9223372036854775809")).isFalse();
        for (String s : new String[] {"", "-", "007", "-0", "+7", "1e3", "12a", " 1", "99999999999999999999"}) {
            assertThat(ShardKeys.isInteger(s)).as(s).isFalse();
        }
        assertThat(ShardKeys.parseCanonical("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(ShardKeys.parseCanonical("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(ShardKeys.value("12345")).isEqualTo(12345L);
        assertThat(ShardKeys.value("007")).isEqualTo(ShardKeys.fnv1a64("007"));
    }

    @Test
    void jumpMatchesReferenceValuesOfThePaperCode() {
        // reference: the paper's C++ (also Guava's Hashing.consistentHash) — key 0 is always bucket 0,
        // and the first bucket changes only to the newly added one as buckets grow
        assertThat(ShardKeys.jump(0, 1)).isZero();
        assertThat(ShardKeys.jump(0, 1000)).isZero();
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 10_000; i++) {
            long key = random.nextLong();
            int previous = ShardKeys.jump(key, 1);
            for (int n = 2; n <= 40; n++) {
                int b = ShardKeys.jump(key, n);
                assertThat(b).isBetween(0, n - 1);
                assertThat(b == previous || b == n - 1).as("key %d moves only to the new bucket at %d", key, n).isTrue();
                previous = b;
            }
        }
    }

    /** The paper's code transcribed literally (int64 b and j), to check the int-typed version. */
    private static int paperJump(long key, int numBuckets) {
        long b = -1;
        long j = 0;
        while (j < numBuckets) {
            b = j;
            key = key * 2862933555777941757L + 1;
            j = (long) ((b + 1) * ((double) (1L << 31) / (double) ((key >>> 33) + 1)));
        }
        return (int) b;
    }

    @Test
    void jumpGivesThePaperCodesBuckets() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 200_000; i++) {
            long key = random.nextLong();
            int buckets = 1 + random.nextInt(i % 2 == 0 ? 70_000 : 64);
            assertThat(ShardKeys.jump(key, buckets)).isEqualTo(paperJump(key, buckets));
        }
        // keys whose first step lands on the largest (key >>> 33) + 1 = 2^31
        assertThat(ShardKeys.jump(-1L, 10)).isEqualTo(paperJump(-1L, 10));
    }
}
