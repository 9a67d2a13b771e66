package io.generalbots.scaling.health;

import java.util.Map;
import java.util.Objects;

/**
 * The outcome of one {@link HealthCheck} run.
 *
 * @param status  the outcome
 * @param word    the word reported in the health JSON's {@code checks} object: {@code ok} when up,
 *                otherwise a short failure word such as {@code down}, {@code degraded},
 *                {@code error}, {@code timeout}
 * @param details extra facts for operators (e.g. the primary's address, replication lag)
 */
public record HealthCheckResult(Status status, String word, Map<String, Object> details) {

    /** How a dependency is doing. */
    public enum Status {
        /** Usable. */
        UP,
        /** Usable with reduced function (e.g. a fallback serves, a breaker is open). */
        DEGRADED,
        /** Not usable. */
        DOWN
    }

    /**
     * Creates a result.
     *
     * @param status  the outcome
     * @param word    the reported word
     * @param details extra facts
     */
    public HealthCheckResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(word, "word");
        details = Map.copyOf(details);
    }

    /**
     * Up, reported as {@code ok}.
     *
     * @return the result
     */
    public static HealthCheckResult up() {
        return new HealthCheckResult(Status.UP, "ok", Map.of());
    }

    /**
     * Up with details.
     *
     * @param details extra facts
     * @return the result
     */
    public static HealthCheckResult up(Map<String, Object> details) {
        return new HealthCheckResult(Status.UP, "ok", details);
    }

    /**
     * Degraded, reported with the given word.
     *
     * @param word e.g. {@code degraded} or {@code fallback}
     * @return the result
     */
    public static HealthCheckResult degraded(String word) {
        return new HealthCheckResult(Status.DEGRADED, word, Map.of());
    }

    /**
     * Down, reported with the given word.
     *
     * @param word e.g. {@code down} or {@code unreachable}
     * @return the result
     */
    public static HealthCheckResult down(String word) {
        return new HealthCheckResult(Status.DOWN, word, Map.of());
    }
}
