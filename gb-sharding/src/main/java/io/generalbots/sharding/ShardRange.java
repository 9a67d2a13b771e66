package io.generalbots.sharding;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One inclusive key range of {@code shard-ranges}: {@code LOW-HIGH:NAME}, or {@code LOW-:NAME}
 * for an open-ended last range (then {@link #high()} is {@link Long#MAX_VALUE}).
 *
 * @param low   the least key, inclusive
 * @param high  the greatest key, inclusive
 * @param open  whether the range was written open-ended
 * @param shard the shard name
 */
public record ShardRange(long low, long high, boolean open, String shard) {

    private static final Pattern ITEM = Pattern.compile("(-?\\d{1,19})-(-?\\d{1,19})?:([A-Za-z0-9_][A-Za-z0-9_.-]{0,62})");

    /**
     * Creates a range.
     *
     * @param low   the least key
     * @param high  the greatest key
     * @param open  whether open-ended
     * @param shard the shard name
     */
    public ShardRange {
        if (low > high) {
            throw new IllegalArgumentException("a range must have LOW <= HIGH, but was " + low + "-" + high);
        }
        ShardNames.requireShardName(shard);
    }

    /**
     * Whether the key lies in this range.
     *
     * @param key the key
     * @return true if {@code low <= key <= high}
     */
    public boolean contains(long key) {
        return key >= low && key <= high;
    }

    /**
     * Number of keys in the range (saturating at {@link Long#MAX_VALUE}).
     *
     * @return the size
     */
    public long size() {
        long size = high - low + 1;
        return size <= 0 ? Long.MAX_VALUE : size;
    }

    @Override
    public String toString() {
        return low + "-" + (open ? "" : Long.toString(high)) + ":" + shard;
    }

    /**
     * Parses a {@code shard-ranges} value: comma-separated {@code LOW-HIGH:NAME} items, in
     * ascending order, each starting right after the previous one ends (no gaps, no overlaps);
     * only the last one may be open ({@code LOW-:NAME}).
     *
     * @param text the value
     * @return the ranges in order
     * @throws IllegalArgumentException naming the bad item and the rule it breaks
     */
    public static List<ShardRange> parseList(String text) {
        String[] items = text.split(",", -1);
        List<ShardRange> ranges = new ArrayList<>(items.length);
        for (int i = 0; i < items.length; i++) {
            String item = items[i].trim();
            String where = "item " + (i + 1) + " \"" + item + "\"";
            Matcher m = ITEM.matcher(item);
            if (!m.matches()) {
                throw new IllegalArgumentException(where + " must be LOW-HIGH:NAME or LOW-:NAME "
                        + "(integers, NAME of letters, digits, _ . -)");
            }
            long low;
            long high;
            try {
                low = Long.parseLong(m.group(1));
                high = m.group(2) == null ? Long.MAX_VALUE : Long.parseLong(m.group(2));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + " has a number outside the 64-bit range");
            }
            boolean open = m.group(2) == null;
            if (open && i != items.length - 1) {
                throw new IllegalArgumentException(where + " is open-ended, but only the last range may be");
            }
            if (low > high) {
                throw new IllegalArgumentException(where + " must have LOW <= HIGH");
            }
            if (!ranges.isEmpty()) {
                ShardRange prev = ranges.get(ranges.size() - 1);
                if (low < prev.low()) {
                    throw new IllegalArgumentException(where + " is out of order: ranges must be ascending, but it starts "
                            + "before item " + i + " \"" + prev + "\"");
                }
                if (low <= prev.high()) {
                    throw new IllegalArgumentException(where + " overlaps item " + i + " \"" + prev + "\"");
                }
                if (low != prev.high() + 1) {
                    throw new IllegalArgumentException(where + " leaves a gap: keys " + (prev.high() + 1) + "-"
                            + (low - 1) + " are in no range");
                }
            }
            ranges.add(new ShardRange(low, high, open, m.group(3)));
        }
        return List.copyOf(ranges);
    }
}
