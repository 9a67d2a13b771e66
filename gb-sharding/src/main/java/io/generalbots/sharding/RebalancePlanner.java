package io.generalbots.sharding;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.generalbots.scaling.Checks;

/**
 * Plans a rebalance: given the old and the new settings, which keys move where.
 *
 * <ul>
 *   <li><b>range to range</b>: exact. The keys considered are those the old ranges cover, from
 *       the lowest LOW up to the highest number written in either file (a closed range's HIGH,
 *       an open range's LOW - 1, at least the lowest LOW). Keys above that go to the open-ended
 *       range of each file; if those differ, {@link RebalancePlan#note()} says so. Keys the new
 *       ranges do not cover move to {@link RebalancePlan#UNROUTABLE}.</li>
 *   <li><b>geo to geo</b>: exact over the regions named in either file, plus one key for every
 *       other region (the defaults).</li>
 *   <li><b>tenant to tenant</b>: nothing moves when the prefix is the same; otherwise every
 *       tenant's database changes, shown as one line {@code OLDPREFIX* -> NEWPREFIX*: N}.</li>
 *   <li><b>anything else</b> (hash changes, strategy changes, tenants): the integer keys
 *       {@code 0 .. sample-1}, routed by both. For modulo 4 &rarr; 5 this gives exactly 80 %; for
 *       jump about 1/5.</li>
 * </ul>
 */
public final class RebalancePlanner {

    /** Default sample size for hash plans. */
    public static final int DEFAULT_SAMPLE = 100_000;

    private RebalancePlanner() {
    }

    /**
     * Plans the change from old to new settings.
     *
     * @param oldSettings the settings in force
     * @param newSettings the settings to move to
     * @param sample      keys to sample when the plan is not exact, 1 or more
     * @return the plan
     */
    public static RebalancePlan plan(ShardSettings oldSettings, ShardSettings newSettings, int sample) {
        return plan(ShardRouter.of(oldSettings), ShardRouter.of(newSettings), sample);
    }

    /**
     * Plans the change from one router to another.
     *
     * @param from   the router in force
     * @param to     the router to move to
     * @param sample keys to sample when the plan is not exact, 1 or more
     * @return the plan
     */
    public static RebalancePlan plan(ShardRouter from, ShardRouter to, int sample) {
        Checks.requireRange("--keys", sample, 1, Integer.MAX_VALUE);
        if (from instanceof RangeShardRouter a && to instanceof RangeShardRouter b) {
            return ranges(a, b);
        }
        if (from instanceof GeoShardRouter a && to instanceof GeoShardRouter b) {
            return geo(a, b);
        }
        if (from instanceof TenantShardRouter a && to instanceof TenantShardRouter b) {
            // every tenant keeps its database, or every tenant's database is renamed: one line
            boolean same = a.prefix().equals(b.prefix());
            List<RebalancePlan.Move> moves = same ? List.of()
                    : List.of(new RebalancePlan.Move(a.prefix() + "*", b.prefix() + "*", sample));
            return new RebalancePlan(same ? 0 : 1, sample, same ? 0 : sample, true, moves, List.of(), Optional.empty());
        }
        return sampled(from, to, sample);
    }

    private static RebalancePlan ranges(RangeShardRouter from, RangeShardRouter to) {
        List<ShardRange> a = from.ranges();
        List<ShardRange> b = to.ranges();
        long start = a.get(0).low();
        long end = Math.max(start, Math.max(lastWritten(a), lastWritten(b)));
        end = Math.min(end, a.get(a.size() - 1).high());
        TreeSet<Long> cuts = new TreeSet<>();
        cuts.add(start);
        for (List<ShardRange> list : List.of(a, b)) {
            for (ShardRange r : list) {
                if (r.low() > start && r.low() <= end) {
                    cuts.add(r.low());
                }
                if (r.high() != Long.MAX_VALUE && r.high() + 1 > start && r.high() + 1 <= end) {
                    cuts.add(r.high() + 1);
                }
            }
        }
        Map<String, Long> counts = new TreeMap<>();
        List<RebalancePlan.Interval> intervals = new ArrayList<>();
        long moved = 0;
        List<Long> points = new ArrayList<>(cuts);
        for (int i = 0; i < points.size(); i++) {
            long lo = points.get(i);
            long hi = i + 1 < points.size() ? points.get(i + 1) - 1 : end;
            String oldTarget = from.route(lo);
            String newTarget = routeOrUnroutable(to, lo);
            if (!oldTarget.equals(newTarget)) {
                long n = hi - lo + 1;
                moved += n;
                counts.merge(oldTarget + "\u0000" + newTarget, n, Long::sum);
                RebalancePlan.Interval last = intervals.isEmpty() ? null : intervals.get(intervals.size() - 1);
                if (last != null && last.high() + 1 == lo && last.from().equals(oldTarget) && last.to().equals(newTarget)) {
                    intervals.set(intervals.size() - 1, new RebalancePlan.Interval(last.low(), hi, oldTarget, newTarget));
                } else {
                    intervals.add(new RebalancePlan.Interval(lo, hi, oldTarget, newTarget));
                }
            }
        }
        long considered = end - start + 1;
        Optional<String> note = Optional.empty();
        if (end < Long.MAX_VALUE && a.get(a.size() - 1).open()) {
            String oldTail = from.route(Long.MAX_VALUE);
            String newTail = routeOrUnroutable(to, Long.MAX_VALUE);
            if (!oldTail.equals(newTail)) {
                note = Optional.of("keys from " + (end + 1) + " up (open-ended) also move " + oldTail + " -> " + newTail
                        + "; they are not counted");
            }
        }
        return new RebalancePlan((double) moved / considered, considered, moved, true, moves(counts), intervals, note);
    }

    private static long lastWritten(List<ShardRange> ranges) {
        ShardRange last = ranges.get(ranges.size() - 1);
        return last.open() ? last.low() - 1 : last.high();
    }

    private static RebalancePlan geo(GeoShardRouter from, GeoShardRouter to) {
        Set<String> regions = new LinkedHashSet<>(from.hosts().keySet());
        regions.addAll(to.hosts().keySet());
        Map<String, Long> counts = new TreeMap<>();
        long moved = 0;
        for (String region : regions) {
            moved += count(counts, from.route(region), to.route(region));
        }
        moved += count(counts, from.defaultHost(), to.defaultHost());
        long considered = regions.size() + 1L;
        return new RebalancePlan((double) moved / considered, considered, moved, true, moves(counts), List.of(),
                Optional.empty());
    }

    private static RebalancePlan sampled(ShardRouter from, ShardRouter to, int sample) {
        Map<String, Long> counts = new TreeMap<>();
        long moved = 0;
        long considered = 0;
        for (long key = 0; key < sample; key++) {
            String oldTarget;
            try {
                oldTarget = from.route(key);
            } catch (ShardRoutingException e) {
                continue;
            }
            considered++;
            moved += count(counts, oldTarget, routeOrUnroutable(to, key));
        }
        double fraction = considered == 0 ? 0 : (double) moved / considered;
        return new RebalancePlan(fraction, considered, moved, false, moves(counts), List.of(), Optional.empty());
    }

    private static long count(Map<String, Long> counts, String oldTarget, String newTarget) {
        if (oldTarget.equals(newTarget)) {
            return 0;
        }
        counts.merge(oldTarget + "\u0000" + newTarget, 1L, Long::sum);
        return 1;
    }

    private static String routeOrUnroutable(ShardRouter router, long key) {
        try {
            return router.route(key);
        } catch (ShardRoutingException e) {
            return RebalancePlan.UNROUTABLE;
        }
    }

    private static List<RebalancePlan.Move> moves(Map<String, Long> counts) {
        List<RebalancePlan.Move> moves = new ArrayList<>();
        counts.forEach((pair, n) -> {
            String[] p = pair.split("\u0000", 2);
            moves.add(new RebalancePlan.Move(p[0], p[1], n));
        });
        moves.sort(Comparator.comparing(RebalancePlan.Move::from, NaturalOrder.INSTANCE)
                .thenComparing(RebalancePlan.Move::to, NaturalOrder.INSTANCE));
        return moves;
    }

    /** Orders names with their digit runs as numbers: shard-2 before shard-10. */
    static final class NaturalOrder implements Comparator<String> {
        static final NaturalOrder INSTANCE = new NaturalOrder();

        @Override
        public int compare(String x, String y) {
            int i = 0;
            int j = 0;
            while (i < x.length() && j < y.length()) {
                char a = x.charAt(i);
                char b = y.charAt(j);
                if (Character.isDigit(a) && Character.isDigit(b)) {
                    int si = i;
                    int sj = j;
                    while (i < x.length() && Character.isDigit(x.charAt(i))) {
                        i++;
                    }
                    while (j < y.length() && Character.isDigit(y.charAt(j))) {
                        j++;
                    }
                    String da = x.substring(si, i).replaceFirst("^0+(?=.)", "");
                    String db = y.substring(sj, j).replaceFirst("^0+(?=.)", "");
                    int c = da.length() != db.length() ? Integer.compare(da.length(), db.length()) : da.compareTo(db);
                    if (c != 0) {
                        return c;
                    }
                } else {
                    if (a != b) {
                        return Character.compare(a, b);
                    }
                    i++;
                    j++;
                }
            }
            int c = Integer.compare(x.length() - i, y.length() - j);
            return c != 0 ? c : x.compareTo(y);
        }
    }
}
