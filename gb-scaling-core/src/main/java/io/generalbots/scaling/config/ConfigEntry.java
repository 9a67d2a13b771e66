package io.generalbots.scaling.config;

import java.util.Objects;

/**
 * One {@code name,value} line of a {@code config.csv}.
 *
 * @param name  the key, trimmed
 * @param value everything after the first comma, trimmed; empty when the line had no comma
 * @param line  the 1-based line number in the source, or {@code 0} for entries not read from a file
 */
public record ConfigEntry(String name, String value, int line) {

    /**
     * Creates an entry.
     *
     * @param name  the key
     * @param value the value
     * @param line  the line number, 0 when the entry was not read from a file
     */
    public ConfigEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (line < 0) {
            throw new IllegalArgumentException("line must be 0 or more, but was " + line);
        }
    }
}
