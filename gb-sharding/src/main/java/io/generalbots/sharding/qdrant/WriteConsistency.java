package io.generalbots.sharding.qdrant;

import java.util.Locale;

import io.generalbots.scaling.Checks;

/**
 * The {@code qdrant-write-consistency} setting: how many replicas must apply a write before Qdrant
 * reports success. A whole number, or {@code majority} (&lfloor;replication/2&rfloor;+1), or
 * {@code all} (the replication factor). It is resolved against the replication factor with
 * {@link #factorFor(int)}; a number above the replication factor is refused, never lowered.
 */
public final class WriteConsistency {

    private static final WriteConsistency MAJORITY = new WriteConsistency(-1);
    private static final WriteConsistency ALL = new WriteConsistency(-2);

    private final int factor;

    private WriteConsistency(int factor) {
        this.factor = factor;
    }

    /**
     * A majority of the replicas: &lfloor;replication/2&rfloor;+1.
     *
     * @return the setting
     */
    public static WriteConsistency majority() {
        return MAJORITY;
    }

    /**
     * Every replica.
     *
     * @return the setting
     */
    public static WriteConsistency all() {
        return ALL;
    }

    /**
     * A fixed number of replicas.
     *
     * @param factor at least 1
     * @return the setting
     * @throws IllegalArgumentException if the factor is below 1
     */
    public static WriteConsistency exactly(int factor) {
        Checks.requireRange("qdrant-write-consistency", factor, 1, Integer.MAX_VALUE);
        return new WriteConsistency(factor);
    }

    /**
     * Parses the text of {@code qdrant-write-consistency}: a whole number from 1, {@code majority}
     * or {@code all} (any case).
     *
     * @param text the value
     * @return the setting, or null if the text is none of those
     */
    public static WriteConsistency parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.equals("majority")) {
            return MAJORITY;
        }
        if (s.equals("all")) {
            return ALL;
        }
        if (!s.matches("\\d{1,9}")) {
            return null;
        }
        int n = Integer.parseInt(s);
        return n >= 1 ? new WriteConsistency(n) : null;
    }

    /**
     * The number of replicas that must apply a write, for a replication factor.
     *
     * @param replicationFactor the collection's replication factor, at least 1
     * @return the write consistency factor, 1..replicationFactor
     * @throws IllegalArgumentException if a fixed number is above the replication factor
     */
    public int factorFor(int replicationFactor) {
        Checks.requireRange("qdrant-replication-factor", replicationFactor, 1, Integer.MAX_VALUE);
        if (this == MAJORITY) {
            return replicationFactor / 2 + 1;
        }
        if (this == ALL) {
            return replicationFactor;
        }
        Checks.require(factor <= replicationFactor, "qdrant-write-consistency",
                "at most qdrant-replication-factor (" + replicationFactor + ")", factor);
        return factor;
    }

    /**
     * Whether the setting can be met with a replication factor: {@code majority} and {@code all}
     * always can, a number only when it is not above it.
     *
     * @param replicationFactor the replication factor
     * @return true if {@link #factorFor(int)} would succeed
     */
    public boolean fits(int replicationFactor) {
        return factor < 0 || factor <= replicationFactor;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WriteConsistency w && w.factor == factor;
    }

    @Override
    public int hashCode() {
        return factor;
    }

    /**
     * The setting as written in {@code config.csv}.
     *
     * @return {@code majority}, {@code all} or the number
     */
    @Override
    public String toString() {
        return this == MAJORITY ? "majority" : this == ALL ? "all" : Integer.toString(factor);
    }
}
