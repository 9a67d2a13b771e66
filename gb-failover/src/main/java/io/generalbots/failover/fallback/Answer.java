package io.generalbots.failover.fallback;

import java.util.Objects;

/**
 * A value and who answered it.
 *
 * @param value        the value
 * @param answeredBy   the name of the step that answered (the primary's or a fallback's)
 * @param fromFallback true when a fallback answered
 * @param <T>          the value type
 */
public record Answer<T>(T value, String answeredBy, boolean fromFallback) {

    /**
     * Creates an answer.
     *
     * @param value        the value
     * @param answeredBy   who answered
     * @param fromFallback whether a fallback answered
     */
    public Answer {
        Objects.requireNonNull(answeredBy, "answeredBy");
    }
}
