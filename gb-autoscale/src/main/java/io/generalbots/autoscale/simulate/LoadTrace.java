package io.generalbots.autoscale.simulate;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

import io.generalbots.scaling.BoundedLineReader;
import io.generalbots.scaling.InputLimitException;

/**
 * A load trace: requests per minute, one value per minute from minute 0, read from a CSV file
 * with the header {@code minute,requests_per_min} and rows {@code MINUTE,REQUESTS_PER_MIN}, exactly
 * two columns (blank lines and {@code #} comments skipped). A malformed trace is an
 * {@link IllegalArgumentException} naming the file and line: no header, a missing or an extra
 * column, a non-numeric or negative value, a minute missing or repeated (minutes must be 0, 1,
 * 2, ... in order).
 *
 * <p>Limits, so that a device, a pipe or a runaway file is refused instead of filling the heap or
 * running for hours: at most {@link #MAX_MINUTES} minutes (366 days), {@link #MAX_BYTES} bytes
 * (16 MiB) in all and {@link #MAX_LINE_BYTES} bytes (1 KiB) on one line, counted as the file
 * streams in; more is {@code FILE:LINE: the trace must be at most 527040 minutes (366 days), but is
 * longer}, {@code FILE:LINE: the trace must be at most 16777216 bytes (16 MiB), but is longer} or
 * {@code FILE:LINE: a line must be at most 1024 bytes (1 KiB), but this one is longer}.
 */
public final class LoadTrace {

    /** The most minutes a trace may have: 366 days, 527,040 (simulating that many takes tens of seconds). */
    public static final int MAX_MINUTES = 366 * 24 * 60;
    /** The most bytes a trace file may have: 16 MiB. */
    public static final long MAX_BYTES = 16L << 20;
    /** The most bytes one line of a trace may have, its end not counted: 1 KiB. */
    public static final int MAX_LINE_BYTES = 1 << 10;

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
        if (rpm.length > MAX_MINUTES) {
            throw new IllegalArgumentException(source + ": the trace must be at most " + MAX_MINUTES
                    + " minutes (366 days), but has " + rpm.length);
        }
        for (double v : rpm) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(source + ": requests_per_min must be a number >= 0, but was " + v);
            }
        }
        return new LoadTrace(source, rpm.clone());
    }

    /**
     * Reads a trace file (or device, or pipe) as a stream, within the limits.
     *
     * @param file the file
     * @return the trace
     * @throws IllegalArgumentException if it cannot be read, is malformed or is over a limit
     */
    public static LoadTrace load(Path file) {
        Path name = file.getFileName();
        String source = name == null ? file.toString() : name.toString();
        try (InputStream in = Files.newInputStream(file)) {
            return read(source, in);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": cannot read the trace: no such file", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read the trace: " + e.getMessage(), e);
        }
    }

    /**
     * Parses a trace, within the same limits as {@link #load(Path)}.
     *
     * @param source the file name for messages
     * @param text   the CSV text
     * @return the trace
     * @throws IllegalArgumentException naming {@code SOURCE:LINE} if malformed or over a limit
     */
    public static LoadTrace parse(String source, String text) {
        Objects.requireNonNull(source, "source");
        try {
            return read(source, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array cannot fail to be read
        }
    }

    private static LoadTrace read(String source, InputStream in) throws IOException {
        BoundedLineReader reader = new BoundedLineReader(in, source, "the trace", MAX_BYTES, MAX_LINE_BYTES);
        double[] values = new double[16];
        int minutes = 0;
        boolean header = false;
        while (true) {
            String raw;
            try {
                raw = reader.readLine();
            } catch (InputLimitException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException(source + ":" + reader.lineNumber() + ": the line is not valid UTF-8 text",
                        e);
            }
            if (raw == null) {
                break;
            }
            int lineNo = reader.lineNumber();
            String line = raw.strip();
            if (lineNo == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] cols = line.split(",", -1);
            if (!header) {
                if (cols.length != 2 || !cols[0].strip().equals("minute") || !cols[1].strip().equals("requests_per_min")) {
                    throw new IllegalArgumentException(source + ":" + lineNo
                            + ": the header must be minute,requests_per_min, but was \"" + line + "\"");
                }
                header = true;
                continue;
            }
            if (cols.length != 2) {
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
            if (minutes == MAX_MINUTES) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": the trace must be at most " + MAX_MINUTES
                        + " minutes (366 days), but is longer");
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
                values = Arrays.copyOf(values, Math.min(values.length * 2, MAX_MINUTES));
            }
            values[minutes++] = v;
        }
        if (!header) {
            throw new IllegalArgumentException(source + ":1: the header must be minute,requests_per_min, but the file"
                    + " is empty");
        }
        if (minutes == 0) {
            throw new IllegalArgumentException(source + ":" + reader.lineNumber() + ": the trace has no minutes");
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
