package io.generalbots.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RateLimitCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String config, String stdin, String... extra) throws Exception {
        return run(config, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), extra);
    }

    private int run(String config, InputStream stdin, String... extra) throws Exception {
        Path file = dir.resolve("config.csv");
        Files.writeString(file, config);
        String[] args = new String[extra.length + 2];
        args[0] = "ratelimit";
        args[1] = file.toString();
        System.arraycopy(extra, 0, args, 2, extra.length);
        InputStream saved = System.in;
        System.setIn(stdin);
        try {
            return GbScale.run(new PrintWriter(out), new PrintWriter(err), args);
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void burstRefillAndRetryAfterRoundedUp() throws Exception {
        String config = "name,value\nrate-limit-requests,2\nrate-limit-window,10\nrate-limit-burst,1\n";
        int code = run(config, "0 a\n0 a\n0.0 a\n0 a\n0 b\n4.9999999 a\n5 a\n5.00 a\n100 a\n");
        assertThat(code).isZero();
        assertThat(out.toString()).isEqualTo("""
                0 a allow
                0 a allow
                0.0 a allow
                0 a deny 5
                0 b allow
                4.9999999 a deny 1
                5 a allow
                5.00 a deny 5
                100 a allow
                """);
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void pathAddsTheEndpointLimit() throws Exception {
        String config = "rate-limit-requests,100\nrate-limit-window,60\nrate-limit-burst,20\nrate-limit-api-auth,2\n";
        assertThat(run(config, "1 k\n1 k\n1 k\n31 k\n", "--path", "/api/auth/login")).isZero();
        assertThat(out.toString()).isEqualTo("1 k allow\n1 k allow\n1 k deny 30\n31 k allow\n");
    }

    @Test
    void disabledAllowsAll() throws Exception {
        assertThat(run("rate-limit-enabled,false\nrate-limit-requests,1\n", "0 a\n0 a\n")).isZero();
        assertThat(out.toString()).isEqualTo("0 a allow\n0 a allow\n");
    }

    @Test
    void decreasingTimeIsAnErrorNamingTheLine() throws Exception {
        assertThat(run("rate-limit-requests,5\n", "2 a\n\n1.5 a\n3 a\n")).isEqualTo(2);
        assertThat(out.toString()).isEqualTo("2 a allow\n");
        assertThat(err.toString()).isEqualTo("stdin:3: time 1.5 is earlier than the line before (2); times must not decrease\n");
    }

    @Test
    void malformedLinesAreErrorsNamingTheLine() throws Exception {
        assertThat(run("", "1 a\nx a\n")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo(
                "stdin:2: SECONDS must be a non-negative decimal number up to 9000000000, but was \"x\"\n");
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        assertThat(run("", "1 a b\n")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("stdin:1: expected 'SECONDS KEY', but was \"1 a b\"\n");
        err.getBuffer().setLength(0);
        assertThat(run("", "-1 a\n")).isEqualTo(2);
        assertThat(err.toString()).contains("stdin:1: SECONDS must be", "\"-1\"");
    }

    @Test
    void badConfigExitsTwo() throws Exception {
        assertThat(run("rate-limit-requests,lots\n", "1 a\n")).isEqualTo(2);
        assertThat(err.toString()).contains("config.csv:1: rate-limit-requests must be an integer from 1 to 100000, but was \"lots\"");
        assertThat(out.toString()).isEmpty();
    }

    /** Some whole lines, then one line that never ends, as a pipe would give it; gives up after {@code bound} bytes. */
    static final class EndlessLine extends InputStream {
        private final byte[] head;
        private final long bound;
        long served;

        EndlessLine(String head, long bound) {
            this.head = head.getBytes(StandardCharsets.UTF_8);
            this.bound = bound;
        }

        @Override
        public int read() {
            if (served >= bound) {
                return -1;
            }
            return served < head.length ? head[(int) served++] : (int) (served++ % 10) + '0';
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int n = 0;
            for (int c; n < len && (c = read()) >= 0; n++) {
                b[off + n] = (byte) c;
            }
            return n == 0 ? -1 : n;
        }
    }

    @Test
    void anEndlessLineIsRefusedAfter4KibWithExit2() throws Exception {
        EndlessLine stdin = new EndlessLine("0 a\n1 a\n", 16L << 20);
        assertThat(run("rate-limit-requests,5\n", stdin)).isEqualTo(2);
        assertThat(out.toString()).isEqualTo("0 a allow\n1 a allow\n");
        assertThat(err.toString()).isEqualTo("stdin:3: a line must be at most 4096 bytes (4 KiB), but this one is longer\n");
        assertThat(stdin.served).as("bytes taken from the pipe").isLessThan(8 + 4096 + 8192 + 1);
    }

    @Test
    void inputThatIsNotUtf8IsAnErrorNamingTheLine() throws Exception {
        InputStream stdin = new ByteArrayInputStream(new byte[] {'0', ' ', 'a', '\n', '1', ' ', (byte) 0xC3, '(', '\n'});
        assertThat(run("", stdin)).isEqualTo(2);
        assertThat(out.toString()).isEqualTo("0 a allow\n");
        assertThat(err.toString()).isEqualTo("stdin:2: the line is not valid UTF-8 text\n");
    }
}
