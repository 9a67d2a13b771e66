package io.generalbots.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class BoundedLineReaderTest {

    /** An endless line of one byte, as a pipe would give it; gives up after {@code bound} bytes. */
    static final class EndlessLine extends InputStream {
        private final byte fill;
        private final long bound;
        long served;

        EndlessLine(byte fill, long bound) {
            this.fill = fill;
            this.bound = bound;
        }

        @Override
        public int read() {
            return served++ < bound ? fill & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (served >= bound) {
                return -1;
            }
            int n = (int) Math.min(len, bound - served);
            java.util.Arrays.fill(b, off, off + n, fill);
            served += n;
            return n;
        }
    }

    private static BoundedLineReader reader(String text, long maxBytes, int maxLineBytes) {
        return new BoundedLineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "in.txt",
                "the file", maxBytes, maxLineBytes);
    }

    private static List<String> lines(BoundedLineReader reader) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line; (line = reader.readLine()) != null; ) {
            lines.add(line);
        }
        return lines;
    }

    @Test
    void linesEndWithLfCrlfOrCrAndTheLastMayHaveNoEnd() throws Exception {
        BoundedLineReader r = reader("a\nb\r\nc\rd\r\n\r\n\ne", 100, 10);
        assertThat(lines(r)).containsExactly("a", "b", "c", "d", "", "", "e");
        assertThat(r.lineNumber()).isEqualTo(7);
        assertThat(r.bytesRead()).isEqualTo(14);
        assertThat(lines(reader("", 100, 10))).isEmpty();
        assertThat(lines(reader("\n", 100, 10))).containsExactly("");
        assertThat(lines(reader("é,ü\n€", 100, 10))).containsExactly("é,ü", "€");
    }

    @Test
    void aLineAtTheLimitIsReadOneByteMoreIsRefused() throws Exception {
        assertThat(lines(reader("12345\r\n1234", 100, 5))).containsExactly("12345", "1234");
        assertThatThrownBy(() -> lines(reader("12345\n123456\n", 100, 5)))
                .isInstanceOf(InputLimitException.class)
                .hasMessage("in.txt:2: a line must be at most 5 bytes, but this one is longer")
                .satisfies(e -> assertThat(((InputLimitException) e).line()).isEqualTo(2));
        // bytes, not characters: é is two
        assertThatThrownBy(() -> lines(reader("ééé\n", 100, 5)))
                .hasMessage("in.txt:1: a line must be at most 5 bytes, but this one is longer");
    }

    @Test
    void theInputAtTheLimitIsReadOneByteMoreIsRefusedAtItsLine() throws Exception {
        assertThat(lines(reader("ab\ncd\n", 6, 5))).containsExactly("ab", "cd");
        assertThatThrownBy(() -> lines(reader("ab\ncd\ne", 6, 5)))
                .hasMessage("in.txt:3: the file must be at most 6 bytes, but is longer");
        // the \n of a \r\n is the end of the line before
        assertThatThrownBy(() -> lines(reader("ab\r\ncd\r\n", 6, 5)))
                .hasMessage("in.txt:2: the file must be at most 6 bytes, but is longer");
    }

    @Test
    void unitsAreNamedWhenTheLimitIsARoundSize() {
        assertThatThrownBy(() -> lines(new BoundedLineReader(new EndlessLine((byte) 0, 1L << 20), "/dev/zero",
                "the file", 1L << 20, 64 << 10)))
                .hasMessage("/dev/zero:1: a line must be at most 65536 bytes (64 KiB), but this one is longer");
        assertThatThrownBy(() -> lines(reader("a\n".repeat(1025), 2048, 10)))
                .hasMessage("in.txt:1025: the file must be at most 2048 bytes (2 KiB), but is longer");
        assertThat(BoundedLineReader.describeSize(1L << 30)).isEqualTo("1 GiB");
        assertThat(BoundedLineReader.describeSize(16L << 20)).isEqualTo("16 MiB");
        assertThat(BoundedLineReader.describeSize(1000)).isEqualTo("1000 bytes");
    }

    @Test
    void anEndlessLineIsRefusedAfterReadingOnlyBeyondTheLimit() {
        EndlessLine endless = new EndlessLine((byte) 'x', 1L << 30);
        BoundedLineReader r = new BoundedLineReader(endless, "stdin", "the input", 1L << 30, 4096);
        assertThatThrownBy(r::readLine).isInstanceOf(InputLimitException.class)
                .hasMessage("stdin:1: a line must be at most 4096 bytes (4 KiB), but this one is longer");
        assertThat(endless.served).as("read no more than one buffer past the limit").isLessThanOrEqualTo(4096 + 8192);
    }

    @Test
    void invalidUtf8IsACodingErrorAtItsLine() throws Exception {
        BoundedLineReader r = new BoundedLineReader(new ByteArrayInputStream(new byte[] {'a', '\n', (byte) 0xC3, '('}),
                "in.txt", "the file", 100, 10);
        assertThat(r.readLine()).isEqualTo("a");
        assertThatThrownBy(r::readLine).isInstanceOf(CharacterCodingException.class);
        assertThat(r.lineNumber()).isEqualTo(2);
    }

    @Test
    void textInMemoryMeetsTheSameLimits() throws Exception {
        BoundedLineReader.checkText("12345\r\n1234", "in.txt", "the file", 100, 5);
        BoundedLineReader.checkText("ab\ncd\n", "in.txt", "the file", 6, 5);
        assertThatThrownBy(() -> BoundedLineReader.checkText("12345\n123456\n", "in.txt", "the file", 100, 5))
                .hasMessage("in.txt:2: a line must be at most 5 bytes, but this one is longer");
        assertThatThrownBy(() -> BoundedLineReader.checkText("ééé", "in.txt", "the file", 100, 5))
                .hasMessage("in.txt:1: a line must be at most 5 bytes, but this one is longer");
        assertThatThrownBy(() -> BoundedLineReader.checkText("ab\ncd\ne", "in.txt", "the file", 6, 5))
                .hasMessage("in.txt:3: the file must be at most 6 bytes, but is longer");
        assertThatThrownBy(() -> BoundedLineReader.checkText("ab\r\ncd\r\n", "in.txt", "the file", 6, 5))
                .hasMessage("in.txt:2: the file must be at most 6 bytes, but is longer");
        // a surrogate pair is the 4 bytes of its code point
        BoundedLineReader.checkText("\uD83D\uDE00", "in.txt", "the file", 4, 4);
        assertThatThrownBy(() -> BoundedLineReader.checkText("\uD83D\uDE00a", "in.txt", "the file", 100, 4))
                .hasMessage("in.txt:1: a line must be at most 4 bytes, but this one is longer");
    }
}
