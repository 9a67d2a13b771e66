package io.generalbots.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import io.generalbots.ratelimit.LocalRateLimiter;
import io.generalbots.ratelimit.RateLimitDecision;
import io.generalbots.ratelimit.RateLimitSettings;
import io.generalbots.ratelimit.RateLimiter;
import io.generalbots.scaling.BoundedLineReader;
import io.generalbots.scaling.InputLimitException;
import io.generalbots.scaling.config.BotConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gb-scale ratelimit CONFIG [--path PATH]}: reads {@code SECONDS KEY} lines from stdin and
 * prints {@code SECONDS KEY allow} or {@code SECONDS KEY deny RETRY_AFTER_SECONDS} for each, as the
 * local backend decides with a clock driven by the input times.
 *
 * <ul>
 *   <li>{@code SECONDS}: a non-negative decimal number ({@code 12}, {@code 12.5}, {@code .25}), at
 *       most 9,000,000,000, non-decreasing from line to line; echoed exactly as given. The limiter's
 *       clock has microsecond resolution: digits beyond the sixth decimal are floored away.</li>
 *   <li>{@code KEY}: the client key, any text without whitespace.</li>
 *   <li>{@code RETRY_AFTER_SECONDS}: whole seconds until the request would be allowed, rounded up
 *       (the {@code Retry-After} value).</li>
 *   <li>{@code --path PATH}: the request path of every line; {@code /api/NAME} and below are also
 *       checked against {@code rate-limit-api-NAME}.</li>
 *   <li>Blank lines are skipped. A malformed line or a time earlier than the line before: a message
 *       {@code stdin:LINE: ...} on stderr and exit 2 (the lines before it are already printed).</li>
 *   <li>Limits: a line (UTF-8) is at most 4 KiB and the whole input at most 1 GiB, counted as the
 *       input streams in, so an endless line on a pipe is refused after 4 KiB:
 *       {@code stdin:1: a line must be at most 4096 bytes (4 KiB), but this one is longer},
 *       {@code stdin:LINE: the input must be at most 1073741824 bytes (1 GiB), but is longer}, or
 *       {@code stdin:LINE: the line is not valid UTF-8 text}; exit 2.</li>
 * </ul>
 */
@Command(name = "ratelimit", mixinStandardHelpOptions = true,
        description = {"Decide requests read from stdin as 'SECONDS KEY' lines (non-decreasing times) with the"
                + " local rate limiter of CONFIG; prints 'SECONDS KEY allow' or 'SECONDS KEY deny RETRY_AFTER'"
                + " (whole seconds, rounded up)."})
final class RateLimitCommand implements Callable<Integer> {

    private static final Pattern SECONDS = Pattern.compile("\\d+(\\.\\d*)?|\\.\\d+");
    private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(9_000_000_000L);
    /** The most bytes of standard input: 1 GiB (about 50 million requests of a short key). */
    static final long MAX_BYTES = 1L << 30;
    /** The most bytes of one input line, its end not counted: 4 KiB. */
    static final int MAX_LINE_BYTES = 4 << 10;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "the bot's config.csv")
    Path config;

    @Option(names = "--path", paramLabel = "PATH", description = "request path, e.g. /api/chat (default: none)")
    String path;

    @Override
    public Integer call() throws IOException {
        BotConfig bot = Configs.loadValid(config, spec);
        if (bot == null) {
            return GbScale.BAD_INPUT;
        }
        RateLimitSettings settings = RateLimitSettings.from(bot);
        long[] clock = new long[1];
        RateLimiter limiter = settings.enabled()
                // maintenance on this thread: evictions past rate-limit-max-keys happen at the same line every run
                ? LocalRateLimiter.custom(settings.toConfig()).maxKeys(settings.maxKeys()).ticker(() -> clock[0])
                        .executor(Runnable::run).build()
                : RateLimiter.disabled();
        String endpoint = limiter.endpointOf(path);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // System.in is not closed: it is the caller's
        BoundedLineReader reader = new BoundedLineReader(System.in, "stdin", "the input", MAX_BYTES, MAX_LINE_BYTES);
        BigDecimal previous = null;
        BigDecimal first = null;
        while (true) {
            String line;
            try {
                line = reader.readLine();
            } catch (InputLimitException e) {
                return fail(out, err, e.line(), e.detail());
            } catch (CharacterCodingException e) {
                return fail(out, err, reader.lineNumber(), "the line is not valid UTF-8 text");
            }
            if (line == null) {
                break;
            }
            int lineNo = reader.lineNumber();
            String trimmed = line.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            String[] fields = trimmed.split("\\s+");
            if (fields.length != 2) {
                return fail(out, err, lineNo, "expected 'SECONDS KEY', but was \"" + line + "\"");
            }
            if (!SECONDS.matcher(fields[0]).matches() || new BigDecimal(fields[0]).compareTo(MAX_SECONDS) > 0) {
                return fail(out, err, lineNo, "SECONDS must be a non-negative decimal number up to 9000000000, but was \""
                        + fields[0] + "\"");
            }
            BigDecimal seconds = new BigDecimal(fields[0]);
            if (previous != null && seconds.compareTo(previous) < 0) {
                return fail(out, err, lineNo, "time " + fields[0] + " is earlier than the line before ("
                        + previous.toPlainString() + "); times must not decrease");
            }
            if (first == null) {
                first = seconds;
            }
            previous = seconds;
            // relative to the first line: the limiter is shift-invariant, and this keeps its integers small
            clock[0] = seconds.subtract(first).movePointRight(6).setScale(0, RoundingMode.FLOOR).longValueExact() * 1000;
            RateLimitDecision d = limiter.decide(fields[1], endpoint);
            out.println(fields[0] + " " + fields[1] + (d.allowed() ? " allow" : " deny " + d.retryAfterSeconds()));
        }
        out.flush();
        return GbScale.OK;
    }

    private static int fail(PrintWriter out, PrintWriter err, int line, String message) {
        out.flush();
        err.println("stdin:" + line + ": " + message);
        return GbScale.BAD_INPUT;
    }
}
