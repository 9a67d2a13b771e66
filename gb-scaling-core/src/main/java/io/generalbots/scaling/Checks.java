package io.generalbots.scaling;

import java.time.Duration;
import java.util.Objects;

/**
 * The validation helper of gb-scaling: every builder of every module checks its arguments here,
 * so that all messages read alike, {@code NAME must be EXPECTATION, but was VALUE}, and show the
 * offending value. Nothing is silently corrected.
 */
public final class Checks {

    private Checks() {
    }

    /**
     * Requires a value within bounds.
     *
     * @param name  the setting's name as the user knows it
     * @param value the value
     * @param min   least allowed
     * @param max   greatest allowed
     * @return the value
     * @throws IllegalArgumentException naming the setting and the value
     */
    public static long requireRange(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be from " + min + " to " + max + ", but was " + value);
        }
        return value;
    }

    /**
     * Requires an int within bounds.
     *
     * @param name  the setting's name
     * @param value the value
     * @param min   least allowed
     * @param max   greatest allowed
     * @return the value
     * @throws IllegalArgumentException naming the setting and the value
     */
    public static int requireRange(String name, int value, int min, int max) {
        return (int) requireRange(name, (long) value, min, (long) max);
    }

    /**
     * Requires a finite number within bounds.
     *
     * @param name  the setting's name
     * @param value the value
     * @param min   least allowed
     * @param max   greatest allowed
     * @return the value
     * @throws IllegalArgumentException naming the setting and the value
     */
    public static double requireRange(String name, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(name + " must be from " + min + " to " + max + ", but was " + value);
        }
        return value;
    }

    /**
     * Requires a positive number.
     *
     * @param name  the setting's name
     * @param value the value
     * @return the value
     * @throws IllegalArgumentException naming the setting and the value
     */
    public static long requirePositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, but was " + value);
        }
        return value;
    }

    /**
     * Requires a positive duration.
     *
     * @param name  the setting's name
     * @param value the value
     * @return the value
     * @throws IllegalArgumentException naming the setting and the value
     * @throws NullPointerException     if the value is null
     */
    public static Duration requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, but was " + value);
        }
        return value;
    }

    /**
     * Requires a condition, with a message in the common style.
     *
     * @param condition   the condition
     * @param name        the setting's name
     * @param expectation what it must be, completing "NAME must be ..."
     * @param value       the offending value
     * @throws IllegalArgumentException if the condition is false
     */
    public static void require(boolean condition, String name, String expectation, Object value) {
        if (!condition) {
            throw new IllegalArgumentException(name + " must be " + expectation + ", but was " + value);
        }
    }
}
