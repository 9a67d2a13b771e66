package io.generalbots.scaling;

import java.io.IOException;

/**
 * Input went past a documented limit of one of gb-scaling's readers (a line too long, or too many
 * bytes or rows in all). {@link #getMessage()} reads like a compiler's message,
 * {@code SOURCE:LINE: DETAIL}, e.g.
 * {@code config.csv:1: a line must be at most 65536 bytes (64 KiB), but this one is longer}.
 */
public final class InputLimitException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final String detail;

    /**
     * Creates the exception.
     *
     * @param source the input's name as given by the caller ({@code config.csv}, {@code stdin})
     * @param line   the 1-based line that went past the limit
     * @param detail what the limit is, in the project's style ({@code X must be at most N, but ...})
     */
    public InputLimitException(String source, int line, String detail) {
        super(source + ":" + line + ": " + detail);
        this.source = source;
        this.line = line;
        this.detail = detail;
    }

    /**
     * The input's name.
     *
     * @return the source
     */
    public String source() {
        return source;
    }

    /**
     * The line that went past the limit.
     *
     * @return the 1-based line number
     */
    public int line() {
        return line;
    }

    /**
     * The message without {@code SOURCE:LINE: }.
     *
     * @return the detail
     */
    public String detail() {
        return detail;
    }
}
