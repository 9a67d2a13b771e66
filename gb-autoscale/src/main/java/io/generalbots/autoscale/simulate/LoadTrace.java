package io.generalbots.autoscale.simulate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A load trace: requests per minute, one value per minute from minute 0, read from a CSV file
 * with the header {@code minute,requests_per_min} (more columns allowed and ignored; blank lines
 * and {@code #} comments skipped). A malformed trace is an {@link IllegalArgumentException} naming
 * the file and line: no header, a missing column, a non-numeric or negative value, a minute
 * missing or repeated (minutes must be 0, 1, 2, ... in order).
 */
public final class LoadTrace {

    private final String source;
    private final double[] rpm;

    private LoadTrace(String source, double[] rpm) {
        this.source = source;
        this.rpm = rpm;
    }

    /**
     * A trace from values.
     *
     * @param source a name for messages
     * @param rpm    requests per minute, minute by minute
     * @return the trace
     */
    public static LoadTrace of(String source, double... rpm) {
        if (rpm.length == 0) {
            throw new IllegalArgumentException(source + ": the trace has no minutes");
        }
        for (double v : rpm) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(source + ": requests_per_min must be a number >= 0, but was " + v);
            }
        }
        return new LoadTrace(source, rpm.clone());
    }

    /**
     * Reads a trace file.
     *
     * @param file the file
     * @return the trace
     * @throws IllegalArgumentException if it cannot be read or is malformed
     */
    public static LoadTrace load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": cannot read the trace: no such file", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read the trace: " + e.getMessage(), e);
        }
        return parse(file.getFileName().toString(), text);
    }

    /**
     * Parses a trace.
     *
     * @param source the file name for messages
     * @param text   the CSV text
     * @return the trace
     * @throws IllegalArgumentException naming {@code SOURCE:LINE} if malformed
     */
    public static LoadTrace parse(String source, String text) {
        Objects.requireNonNull(source, "source");
        List<String> lines = text.lines().toList();
        double[] values = new double[Math.max(16, lines.size())];
        int minutes = 0;
        boolean header = false;
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String line = lines.get(i).strip();
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] cols = line.split(",", -1);
            if (!header) {
                if (cols.length < 2 || !cols[0].strip().equals("minute") || !cols[1].strip().equals("requests_per_min")) {
                    throw new IllegalArgumentException(source + ":" + lineNo
                            + ": the header must be minute,requests_per_min, but was \"" + line + "\"");
                }
                header = true;
                continue;
            }
            if (cols.length < 2) {
                throw new IllegalArgumentException(source + ":" + lineNo
                        + ": a row must be MINUTE,REQUESTS_PER_MIN, but was \"" + line + "\"");
            }
            long minute;
            try {
                minute = Long.parseLong(cols[0].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": minute must be a whole number, but was \""
                        + cols[0].strip() + "\"");
            }
            if (minute < minutes) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": minute " + minute + " is repeated or out of"
                        + " order (expected minute " + minutes + ")");
            }
            if (minute > minutes) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": minute " + minutes + " is missing (found "
                        + "minute " + minute + ")");
            }
            double v;
            try {
                v = Double.parseDouble(cols[1].strip());
            } catch (NumberFormatException e) {
                v = Double.NaN;
            }
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(source + ":" + lineNo
                        + ": requests_per_min must be a number >= 0, but was \"" + cols[1].strip() + "\"");
            }
            if (minutes == values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[minutes++] = v;
        }
        if (!header) {
            throw new IllegalArgumentException(source + ":1: the header must be minute,requests_per_min, but the file"
                    + " is empty");
        }
        if (minutes == 0) {
            throw new IllegalArgumentException(source + ":" + lines.size() + ": the trace has no minutes");
        }
        return new LoadTrace(source, Arrays.copyOf(values, minutes));
    }

    /**
     * The trace's name.
     *
     * @return the source
     */
    public String source() {
        return source;
    }

    /**
     * Minutes in the trace.
     *
     * @return the length
     */
    public int minutes() {
        return rpm.length;
    }

    /**
     * Requests per minute in a minute.
     *
     * @param minute 0..minutes-1
     * @return the load
     */
    public double requestsPerMinute(int minute) {
        return rpm[minute];
    }
}
