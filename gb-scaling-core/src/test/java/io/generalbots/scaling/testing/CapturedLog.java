package io.generalbots.scaling.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What slf4j-simple (the tests' logging binding, which writes to {@code System.err} as it is at
 * each line) logs while it is open: {@code try (CapturedLog log = CapturedLog.open()) { … log.lines() }}.
 * Tests run one at a time in a JVM, so the lines are the test's own.
 */
public final class CapturedLog implements AutoCloseable {

    private final PrintStream original = System.err;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private CapturedLog() {
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    }

    /**
     * Starts capturing.
     *
     * @return the capture; close it to stop
     */
    public static CapturedLog open() {
        return new CapturedLog();
    }

    /**
     * The lines logged so far, stack traces included.
     *
     * @return the lines
     */
    public List<String> lines() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    /**
     * The lines that contain a text.
     *
     * @param text the text
     * @return those lines
     */
    public List<String> linesContaining(String text) {
        return lines().stream().filter(l -> l.contains(text)).toList();
    }

    @Override
    public void close() {
        System.setErr(original);
        System.err.print(bytes.toString(StandardCharsets.UTF_8));
    }
}
