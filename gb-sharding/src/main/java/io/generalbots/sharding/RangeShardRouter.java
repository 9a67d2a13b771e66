package io.generalbots.sharding;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Range routing: a binary search over inclusive, contiguous ranges ({@code shard-ranges}). A key
 * outside every range, or a text key that is not an integer, is a {@link ShardRoutingException}
 * naming the key and the covered ranges, never a silent default.
 */
public final class RangeShardRouter implements ShardRouter {

    private final List<ShardRange> ranges;
    private final long[] lows;
    private final long[] highs;
    private final long first;
    private final long last;
    private final String[] shards;
    private final String covered;

    /**
     * Creates the router.
     *
     * @param ranges ascending, contiguous ranges, as {@link ShardRange#parseList} returns them
     */
    public RangeShardRouter(List<ShardRange> ranges) {
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException("shard-ranges must have at least one range, but was empty");
        }
        this.ranges = List.copyOf(ranges);
        int n = ranges.size();
        lows = new long[n];
        highs = new long[n];
        shards = new String[n];
        for (int i = 0; i < n; i++) {
            ShardRange r = ranges.get(i);
            if (i > 0 && r.low() != highs[i - 1] + 1) {
                throw new IllegalArgumentException("shard-ranges must be ascending without gaps or overlaps, but "
                        + r + " follows " + ranges.get(i - 1));
            }
            lows[i] = r.low();
            highs[i] = r.high();
            shards[i] = r.shard();
        }
        ShardRange end = ranges.get(n - 1);
        first = lows[0];
        last = end.high();
        covered = lows[0] + "-" + (end.open() ? "" : Long.toString(end.high()));
    }

    /**
     * The index of the range holding the key, or -1.
     *
     * @param key the key
     * @return the range's index, or -1 if outside every range
     */
    public int indexOf(long key) {
        // ranges are contiguous: find the last range whose LOW <= key, then check the upper end
        if (key < first || key > last) {
            return -1;
        }
        // branch-free form (the ternary compiles to a conditional move): no mispredictions
        int base = 0;
        int n = lows.length;
        while (n > 1) {
            int half = n >>> 1;
            base = lows[base + half] <= key ? base + half : base;
            n -= half;
        }
        return base;
    }

    @Override
    public String route(long key) {
        int i = indexOf(key);
        if (i < 0) {
            throw new ShardRoutingException(Long.toString(key), "key " + key + " is outside every shard range (shard-ranges "
                    + "covers " + covered + ")");
        }
        return shards[i];
    }

    @Override
    public String route(String key) {
        if (!ShardKeys.isInteger(key)) {
            throw new ShardRoutingException(key, "key \"" + key + "\" is not an integer, so no shard range holds it "
                    + "(shard-ranges covers " + covered + ")");
        }
        return route(ShardKeys.parseCanonical(key));
    }

    @Override
    public ShardStrategy strategy() {
        return ShardStrategy.RANGE;
    }

    /**
     * The ranges, in order.
     *
     * @return the ranges
     */
    public List<ShardRange> ranges() {
        return ranges;
    }

    @Override
    public List<String> targets() {
        return List.copyOf(new LinkedHashSet<>(List.of(shards)));
    }

    @Override
    public String toString() {
        List<String> items = new ArrayList<>();
        ranges.forEach(r -> items.add(r.toString()));
        return "RangeShardRouter[" + items.stream().collect(Collectors.joining(",")) + "]";
    }
}
