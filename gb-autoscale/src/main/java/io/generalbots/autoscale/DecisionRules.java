package io.generalbots.autoscale;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The timing rules that turn a check's {@link Recommendation} into an action: cooldowns and the
 * scale-down stabilization window (see {@link AutoScaler}).
 * <ul>
 *   <li>Scale-up acts at once, unless within {@code scale-cooldown-seconds} of a scale-down or of
 *       a failed launch (a further scale-up within the cooldown of a scale-up is allowed: the
 *       scaler adds only what is still missing).</li>
 *   <li>Scale-down waits for the cooldown since the last event of any kind, and goes only to the
 *       highest recommendation of the last {@code scale-down-stabilization-seconds}; a new leader
 *       first fills that window.</li>
 * </ul>
 *
 * <p>Not thread-safe: the scaler calls it under its lock.
 */
final class DecisionRules {

    /** What happened last. */
    enum Last { NONE, UP, DOWN, FAILED }

    /** What to do. */
    enum Action { UP, DOWN, HOLD }

    /**
     * A decision.
     *
     * @param action what to do
     * @param to     the instance count to go to (the recommendation up, the stabilized one down,
     *               the current one on hold)
     * @param holds  why it holds although the recommendation differs; null otherwise
     */
    record Decision(Action action, int to, String holds) {
    }

    private record Rec(long at, int desired) {
    }

    private final long cooldownNanos;
    private final long stabilizationNanos;
    private final Deque<Rec> window = new ArrayDeque<>();
    private Last last = Last.NONE;
    private long lastAt;
    private long leaderSince;

    /**
     * @param cooldownNanos      {@code scale-cooldown-seconds}
     * @param stabilizationNanos {@code scale-down-stabilization-seconds}
     */
    DecisionRules(long cooldownNanos, long stabilizationNanos) {
        this.cooldownNanos = cooldownNanos;
        this.stabilizationNanos = stabilizationNanos;
    }

    /**
     * This node became the leader: the stabilization window starts empty and must fill.
     *
     * @param now the ticker's reading
     */
    void startedLeading(long now) {
        leaderSince = now;
        window.clear();
    }

    /** This node is not (or no longer) the leader: its window no longer means anything. */
    void notLeading() {
        window.clear();
    }

    /**
     * Records a check's recommendation and decides.
     *
     * @param now     the ticker's reading
     * @param current the instances counted now
     * @param desired the recommendation
     * @return the decision
     */
    Decision decide(long now, int current, int desired) {
        window.addLast(new Rec(now, desired));
        while (now - window.peekFirst().at() > stabilizationNanos) {
            window.removeFirst();
        }
        boolean cooling = last != Last.NONE && now - lastAt < cooldownNanos;
        if (desired > current) {
            if (cooling && last != Last.UP) {
                return new Decision(Action.HOLD, current,
                        "cools down after a " + (last == Last.DOWN ? "scale-down" : "failed launch"));
            }
            return new Decision(Action.UP, desired, null);
        }
        if (desired < current) {
            int stabilized = window.stream().mapToInt(Rec::desired).max().orElse(current);
            boolean windowFilled = now - leaderSince >= stabilizationNanos;
            if (!cooling && windowFilled && stabilized < current) {
                return new Decision(Action.DOWN, stabilized, null);
            }
            return new Decision(Action.HOLD, current, cooling ? "cooldown" : !windowFilled
                    ? "stabilization window filling" : "highest recommendation of the window is " + stabilized);
        }
        return new Decision(Action.HOLD, current, null);
    }

    /**
     * Records what the scaler did, which starts a cooldown.
     *
     * @param what UP, DOWN or FAILED
     * @param now  the ticker's reading
     */
    void acted(Last what, long now) {
        last = what;
        lastAt = now;
    }

    /**
     * What happened last.
     *
     * @return the last action
     */
    Last last() {
        return last;
    }
}
