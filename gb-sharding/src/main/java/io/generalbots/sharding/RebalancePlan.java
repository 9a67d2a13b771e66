package io.generalbots.sharding;

import java.util.List;
import java.util.Optional;

/**
 * What changing one sharding configuration into another moves.
 *
 * @param movedFraction  moved keys / keys considered, 0 to 1
 * @param keysConsidered keys considered: every key of the window for ranges, the sample otherwise
 * @param keysMoved      keys whose target changes
 * @param exact          true when computed over every key (ranges, geo regions), false for a sample
 * @param moves          from-to pairs with their key counts, ordered by from then to (natural order)
 * @param intervals      for range changes, the exact moving intervals in key order; empty otherwise
 * @param note           a remark about keys the counts leave out (an open-ended tail that moves), if any
 */
public record RebalancePlan(double movedFraction, long keysConsidered, long keysMoved, boolean exact,
                            List<Move> moves, List<Interval> intervals, Optional<String> note) {

    /** The target of keys that the new configuration cannot route. */
    public static final String UNROUTABLE = "(unroutable)";

    /**
     * Creates a plan.
     *
     * @param movedFraction  moved keys / keys considered
     * @param keysConsidered keys considered
     * @param keysMoved      keys moved
     * @param exact          whether exact
     * @param moves          from-to counts
     * @param intervals      moving intervals
     * @param note           a remark, if any
     */
    public RebalancePlan {
        moves = List.copyOf(moves);
        intervals = List.copyOf(intervals);
    }

    /**
     * Keys moving from one target to another.
     *
     * @param from  the old target
     * @param to    the new target, or {@link #UNROUTABLE}
     * @param count how many keys
     */
    public record Move(String from, String to, long count) {
        @Override
        public String toString() {
            return from + " -> " + to + ": " + count;
        }
    }

    /**
     * An inclusive interval of keys moving from one shard to another.
     *
     * @param low  the first key
     * @param high the last key
     * @param from the old shard
     * @param to   the new shard, or {@link #UNROUTABLE}
     */
    public record Interval(long low, long high, String from, String to) {
        /**
         * Whether the key lies in the interval.
         *
         * @param key the key
         * @return true if inside
         */
        public boolean contains(long key) {
            return key >= low && key <= high;
        }

        @Override
        public String toString() {
            return low + "-" + high + ": " + from + " -> " + to;
        }
    }
}
