package io.generalbots.benchmarks;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import com.google.common.hash.Hashing;
import io.generalbots.sharding.GeoShardRouter;
import io.generalbots.sharding.HashShardRouter;
import io.generalbots.sharding.RangeShardRouter;
import io.generalbots.sharding.ShardAlgorithm;
import io.generalbots.sharding.ShardRange;
import io.generalbots.sharding.TenantShardRouter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Routing cost per key: gb-sharding's modulo, jump, range (1,000 ranges), geo and tenant routers,
 * side by side with Guava's {@code Hashing.consistentHash} (jump) and ShardingSphere's HASH_MOD
 * formula {@code Math.abs((long) value.hashCode()) % n}, on 16 shards. Each op routes one key of a
 * pre-built array of 4,096 random keys and returns the shard name (the anchors index the same name
 * array, and read the shard count from a field as our routers do, so every variant does the same work
 * around the formula). Run with {@code -prof gc} for B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ShardRoutingBenchmark {

    private static final int SHARDS = 16;
    private static final int MASK = 4095;

    private long[] longs;
    private Long[] boxed;
    private String[] numericStrings;
    private String[] textKeys;
    private String[] regions;
    private String[] tenants;
    private String[] names;
    private int i;
    /** The shard count as the anchors' callers have it: a field, not a compile-time constant. */
    private int shards;

    private HashShardRouter modulo;
    private HashShardRouter jump;
    private RangeShardRouter range;
    private GeoShardRouter geo;
    private TenantShardRouter tenant;

    /** Builds the keys and routers. */
    @Setup
    public void setup() {
        SplittableRandom random = new SplittableRandom(7);
        longs = new long[MASK + 1];
        boxed = new Long[MASK + 1];
        numericStrings = new String[MASK + 1];
        textKeys = new String[MASK + 1];
        regions = new String[MASK + 1];
        tenants = new String[MASK + 1];
        String[] regionNames = {"us", "eu", "asia", "br", "mars"};
        for (int k = 0; k <= MASK; k++) {
            longs[k] = random.nextLong(0, 1_000_000_000L);
            boxed[k] = longs[k];
            numericStrings[k] = Long.toString(longs[k]);
            textKeys[k] = "user-" + Long.toHexString(random.nextLong()) + "@example.com";
            regions[k] = regionNames[random.nextInt(regionNames.length)];
            tenants[k] = "tenant-" + random.nextInt(100_000);
        }
        shards = SHARDS;
        names = new String[SHARDS];
        for (int s = 0; s < SHARDS; s++) {
            names[s] = "shard-" + s;
        }
        modulo = new HashShardRouter(ShardAlgorithm.MODULO, SHARDS);
        jump = new HashShardRouter(ShardAlgorithm.JUMP, SHARDS);
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < 1000; r++) {
            sb.append(r == 0 ? "" : ",").append(r * 1_000_000L).append('-').append(r * 1_000_000L + 999_999)
                    .append(":r").append(r);
        }
        range = new RangeShardRouter(ShardRange.parseList(sb.toString()));
        geo = new GeoShardRouter(Map.of("us", "pg-us", "eu", "pg-eu", "asia", "pg-asia", "br", "pg-br"), "pg-us");
        tenant = new TenantShardRouter("gb_tenant_");
    }

    private int next() {
        return i = (i + 1) & MASK;
    }

    /** gb-sharding modulo, long key. @return the shard */
    @Benchmark
    public String moduloLong() {
        return modulo.route(longs[next()]);
    }

    /** gb-sharding jump, long key. @return the shard */
    @Benchmark
    public String jumpLong() {
        return jump.route(longs[next()]);
    }

    /** Anchor: Guava Hashing.consistentHash, long key. @return the shard */
    @Benchmark
    public String guavaConsistentHashLong() {
        return names[Hashing.consistentHash(longs[next()], shards)];
    }

    /** Anchor: ShardingSphere HASH_MOD formula on a (pre-boxed) Long. @return the shard */
    @Benchmark
    public String shardingSphereHashModLong() {
        Object value = boxed[next()];
        return names[(int) (Math.abs((long) value.hashCode()) % shards)];
    }

    /** gb-sharding range over 1,000 ranges, long key (binary search). @return the shard */
    @Benchmark
    public String range1000Long() {
        return range.route(longs[next()]);
    }

    /** gb-sharding jump, numeric string key ("12345" routes as 12345). @return the shard */
    @Benchmark
    public String jumpNumericString() {
        return jump.route(numericStrings[next()]);
    }

    /** gb-sharding jump, text key (FNV-1a 64 over UTF-8, no byte[]). @return the shard */
    @Benchmark
    public String jumpTextKey() {
        return jump.route(textKeys[next()]);
    }

    /** gb-sharding modulo, text key. @return the shard */
    @Benchmark
    public String moduloTextKey() {
        return modulo.route(textKeys[next()]);
    }

    /** Anchor: ShardingSphere HASH_MOD formula on a String (String.hashCode, cached). @return the shard */
    @Benchmark
    public String shardingSphereHashModText() {
        Object value = textKeys[next()];
        return names[(int) (Math.abs((long) value.hashCode()) % shards)];
    }

    /** gb-sharding geo, region key. @return the host */
    @Benchmark
    public String geoRegion() {
        return geo.route(regions[next()]);
    }

    /** gb-sharding tenant: validation and database name (allocates the name). @return the database */
    @Benchmark
    public String tenantId() {
        return tenant.route(tenants[next()]);
    }
}
