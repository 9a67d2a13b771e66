package io.generalbots.scaling;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Reads UTF-8 lines from a file, a device or a pipe with two limits, counted as the bytes stream
 * in: the length of one line and the size of the whole input. Nothing is read ahead beyond one
 * buffer, so {@code /dev/zero}, an endless line on a pipe or a 50 MB file cost at most one line of
 * memory before they are refused with an {@link InputLimitException}:
 * <ul>
 *   <li>{@code SOURCE:LINE: a line must be at most 65536 bytes (64 KiB), but this one is longer}</li>
 *   <li>{@code SOURCE:LINE: the file must be at most 1048576 bytes (1 MiB), but is longer}
 *       ({@code the file} is the caller's word for the whole input)</li>
 * </ul>
 *
 * <p>Lines end with {@code \n}, {@code \r\n} or {@code \r} (as Commons CSV and
 * {@link java.io.BufferedReader} see them); the end is not part of the line and does not count
 * toward the line's length, but counts toward the input's size. A line that is not valid UTF-8 is a
 * {@link CharacterCodingException}; {@link #lineNumber()} then names it.
 *
 * <p>Used by every reader of gb-scaling: {@code config.csv}, the simulator's load traces and the
 * standard input of {@code gb-scale ratelimit}. Not thread-safe.
 */
public final class BoundedLineReader implements Closeable {

    private final InputStream in;
    private final String source;
    private final String what;
    private final long maxBytes;
    private final int maxLineBytes;
    private final byte[] buffer = new byte[8192];
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] line = new byte[256];
    private int pos;
    private int limit;
    private long total;
    private int lineNumber;
    private boolean skipLf;
    private boolean done;

    /**
     * Creates a reader.
     *
     * @param in           the input; closed by {@link #close()}
     * @param source       the input's name for messages ({@code config.csv}, {@code stdin})
     * @param what         the input as the size message names it ({@code the file}, {@code the input})
     * @param maxBytes     the most bytes the whole input may have, line ends included
     * @param maxLineBytes the most bytes one line may have, its end not included
     */
    public BoundedLineReader(InputStream in, String source, String what, long maxBytes, int maxLineBytes) {
        this.in = Objects.requireNonNull(in, "in");
        this.source = Objects.requireNonNull(source, "source");
        this.what = Objects.requireNonNull(what, "what");
        this.maxBytes = Checks.requirePositive("maxBytes", maxBytes);
        this.maxLineBytes = (int) Checks.requirePositive("maxLineBytes", maxLineBytes);
    }

    /**
     * The next line, without its end.
     *
     * @return the line, or null at the end of the input
     * @throws InputLimitException      if the line or the input is too long
     * @throws CharacterCodingException if the line is not valid UTF-8 ({@link #lineNumber()} names it)
     * @throws IOException              if the input cannot be read
     */
    public String readLine() throws IOException {
        if (done) {
            return null;
        }
        int length = 0;
        boolean ascii = true;
        boolean started = false;
        while (true) {
            if (pos == limit && !fill()) {
                done = true;
                if (!started) {
                    return null;
                }
                break;
            }
            byte b = buffer[pos++];
            if (skipLf) {
                skipLf = false;
                if (b == '\n') {
                    // the \n of a \r\n that ended the line before
                    count(lineNumber);
                    continue;
                }
            }
            started = true;
            count(lineNumber + 1);
            if (b == '\n') {
                break;
            }
            if (b == '\r') {
                skipLf = true;
                break;
            }
            if (length == maxLineBytes) {
                throw new InputLimitException(source, lineNumber + 1, lineTooLong(maxLineBytes));
            }
            if (length == line.length) {
                line = java.util.Arrays.copyOf(line, (int) Math.min((long) line.length * 2, maxLineBytes));
            }
            line[length++] = b;
            ascii &= b >= 0;
        }
        lineNumber++;
        if (ascii) {
            return new String(line, 0, length, StandardCharsets.ISO_8859_1);
        }
        decoder.reset();
        return decoder.decode(ByteBuffer.wrap(line, 0, length)).toString();
    }

    /**
     * The number of the line last returned (or refused for its encoding), from 1; 0 before the first.
     *
     * @return the line number
     */
    public int lineNumber() {
        return lineNumber;
    }

    /**
     * Bytes read so far, line ends included.
     *
     * @return the count
     */
    public long bytesRead() {
        return total;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /**
     * Applies the same limits to text already in memory, counting each character as the bytes it
     * takes in UTF-8 (an unpaired surrogate as 3).
     *
     * @param text         the text
     * @param source       the text's name for messages
     * @param what         the text as the size message names it
     * @param maxBytes     the most bytes of the whole text
     * @param maxLineBytes the most bytes of one line, its end not included
     * @throws InputLimitException naming the first line that goes past a limit
     */
    public static void checkText(CharSequence text, String source, String what, long maxBytes, int maxLineBytes)
            throws InputLimitException {
        long bytes = 0;
        int length = 0;
        int lineNo = 1;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                int end = c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n' ? 2 : 1;
                i += end - 1;
                bytes += end;
                if (bytes > maxBytes) {
                    throw new InputLimitException(source, lineNo, tooLarge(what, maxBytes));
                }
                lineNo++;
                length = 0;
                continue;
            }
            int size;
            if (c < 0x80) {
                size = 1;
            } else if (c < 0x800) {
                size = 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                size = 4;
                i++;
            } else {
                size = 3;
            }
            bytes += size;
            length += size;
            if (bytes > maxBytes) {
                throw new InputLimitException(source, lineNo, tooLarge(what, maxBytes));
            }
            if (length > maxLineBytes) {
                throw new InputLimitException(source, lineNo, lineTooLong(maxLineBytes));
            }
        }
    }

    /**
     * A byte count as people read it: {@code 64 KiB}, {@code 1 MiB}, {@code 1 GiB}, else
     * {@code N bytes}.
     *
     * @param bytes the count
     * @return the text
     */
    public static String describeSize(long bytes) {
        for (String unit : new String[] {"GiB", "MiB", "KiB"}) {
            long size = unit.equals("GiB") ? 1L << 30 : unit.equals("MiB") ? 1L << 20 : 1L << 10;
            if (bytes >= size && bytes % size == 0) {
                return bytes / size + " " + unit;
            }
        }
        return bytes + " bytes";
    }

    private static String lineTooLong(int maxLineBytes) {
        return "a line must be at most " + bytes(maxLineBytes) + ", but this one is longer";
    }

    private static String tooLarge(String what, long maxBytes) {
        return what + " must be at most " + bytes(maxBytes) + ", but is longer";
    }

    /** {@code 65536 bytes (64 KiB)}, or {@code 10 bytes}. */
    private static String bytes(long n) {
        String size = describeSize(n);
        return size.endsWith(" bytes") ? size : n + " bytes (" + size + ")";
    }

    private void count(int line) throws InputLimitException {
        if (++total > maxBytes) {
            throw new InputLimitException(source, Math.max(1, line), tooLarge(what, maxBytes));
        }
    }

    private boolean fill() throws IOException {
        int n;
        do {
            n = in.read(buffer, 0, buffer.length);
        } while (n == 0);
        if (n < 0) {
            pos = 0;
            limit = 0;
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }
}
