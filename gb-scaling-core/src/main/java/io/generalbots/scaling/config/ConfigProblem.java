package io.generalbots.scaling.config;

import java.util.Objects;

/**
 * A problem found in a {@code config.csv}: an error that makes the file invalid, or a warning
 * (an unknown key of ours, outside strict mode).
 *
 * <p>{@link #toString()} renders it the way compilers do, {@code FILE:LINE: message}, with
 * {@code warning: } before the message of a warning.
 *
 * @param severity error or warning
 * @param source   the file name as given by the caller (e.g. {@code config.csv})
 * @param line     the 1-based line the problem is on; {@code 0} only when the file itself is at
 *                 fault (unreadable) or the value came from code rather than from a file
 * @param key      the key concerned, or {@code null} when the problem is not about one key
 * @param message  the message, which names the key and quotes the offending value
 */
public record ConfigProblem(Severity severity, String source, int line, String key, String message) {

    /** How bad a problem is. */
    public enum Severity {
        /** The file is invalid. */
        ERROR,
        /** The file is valid, but something in it is probably a mistake. */
        WARNING
    }

    /**
     * Creates a problem.
     *
     * @param severity error or warning
     * @param source   the file name
     * @param line     the line number
     * @param key      the key, or null
     * @param message  the message
     */
    public ConfigProblem {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(message, "message");
    }

    /**
     * Whether this problem makes the file invalid.
     *
     * @return true for an error
     */
    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        return source + ":" + line + ": " + (isError() ? "" : "warning: ") + message;
    }
}
