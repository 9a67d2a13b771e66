package io.generalbots.scaling.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Typed access to the values of a {@link BotConfig} that collects problems instead of throwing,
 * so that every bad value of a file is reported together.
 *
 * <p>Each getter returns the value of the file, or the key's declared default when the file does
 * not have it. A bad value is recorded as an error
 * {@code FILE:LINE: KEY must be EXPECTATION, but was "VALUE"} and the getter returns the default
 * (or a neutral value), so reading can go on. A key given twice is an error naming both lines.
 * After reading, {@link #throwIfInvalid()} throws one {@link ConfigException} with all errors.
 *
 * <p>A settings record reads its keys like this:
 * <pre>{@code
 * public static ScalingSettings from(BotConfig config) {
 *     ConfigReader reader = config.reader();
 *     ScalingSettings settings = read(reader);
 *     reader.throwIfInvalid();
 *     return settings;
 * }
 * }</pre>
 *
 * <p>Not thread-safe: a reader is used by one thread to read one set of settings.
 */
public final class ConfigReader {

    private final BotConfig config;
    private final List<ConfigProblem> problems = new ArrayList<>();
    private final Set<String> reportedKeys = new HashSet<>();
    private final Set<String> checkedDuplicates = new HashSet<>();

    ConfigReader(BotConfig config) {
        this.config = config;
    }

    /**
     * The configuration being read.
     *
     * @return the configuration
     */
    public BotConfig config() {
        return config;
    }

    // ------------------------------------------------------------------ raw access

    /**
     * Whether the file sets the key.
     *
     * @param key the key
     * @return true if a line has it
     */
    public boolean isSet(String key) {
        return config.entry(key).isPresent();
    }

    /**
     * The line that sets the key, or 0 when it has its default.
     *
     * @param key the key
     * @return the line
     */
    public int lineOf(String key) {
        return config.entry(key).map(ConfigEntry::line).orElse(0);
    }

    /**
     * The text value in force: the file's, else the declared default.
     *
     * @param key a declared key
     * @return the value, empty when the key has no default and is not set
     */
    public Optional<String> find(String key) {
        config.registry().require(key);
        checkDuplicates(key);
        Optional<ConfigEntry> entry = config.entry(key);
        if (entry.isPresent()) {
            return Optional.of(entry.get().value());
        }
        return config.registry().require(key).defaultValue();
    }

    /**
     * A string value; an empty value is an error.
     *
     * @param key a declared key with a default
     * @return the value
     */
    public String getString(String key) {
        return parse(key, "a non-empty text", v -> v.isEmpty() ? null : v, "");
    }

    /**
     * The members of a key family present in the file, e.g. {@code rate-limit-api-} gives
     * {@code rate-limit-api-chat}, {@code rate-limit-api-auth}, in file order.
     *
     * @param prefix the family's prefix (its declared name without the {@code *})
     * @return the keys
     */
    public List<String> keysStartingWith(String prefix) {
        return config.keysStartingWith(prefix);
    }

    // ------------------------------------------------------------------ typed access

    /**
     * A boolean: {@code true} or {@code false}, in any case.
     *
     * @param key a declared key
     * @return the value, or {@code false} if bad
     */
    public boolean getBoolean(String key) {
        Boolean value = parse(key, "true or false", v -> {
            String s = v.toLowerCase(Locale.ROOT);
            return s.equals("true") ? Boolean.TRUE : s.equals("false") ? Boolean.FALSE : null;
        }, Boolean.FALSE);
        return value;
    }

    /**
     * An integer within bounds.
     *
     * @param key a declared key
     * @param min the least allowed value
     * @param max the greatest allowed value
     * @return the value, or {@code min} if bad
     */
    public int getInt(String key, int min, int max) {
        return (int) getLong(key, min, max);
    }

    /**
     * A long integer within bounds.
     *
     * @param key a declared key
     * @param min the least allowed value
     * @param max the greatest allowed value
     * @return the value, or {@code min} if bad
     */
    public long getLong(String key, long min, long max) {
        return parse(key, "an integer from " + min + " to " + max, v -> {
            try {
                long n = Long.parseLong(v);
                return n >= min && n <= max ? n : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }, min);
    }

    /**
     * A decimal number within bounds.
     *
     * @param key a declared key
     * @param min the least allowed value
     * @param max the greatest allowed value
     * @return the value, or {@code min} if bad
     */
    public double getDouble(String key, double min, double max) {
        return parse(key, "a number from " + format(min) + " to " + format(max), v -> {
            if (!v.matches("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)")) {
                return null;
            }
            double n = Double.parseDouble(v);
            return n >= min && n <= max ? n : null;
        }, min);
    }

    /**
     * A duration: a whole number of seconds ({@code 30}), or a number with a unit {@code ms},
     * {@code s}, {@code m} or {@code h} ({@code 500ms}, {@code 5m}).
     *
     * @param key a declared key
     * @param min the shortest allowed duration
     * @param max the longest allowed duration
     * @return the value, or {@code min} if bad
     */
    public Duration getDuration(String key, Duration min, Duration max) {
        return parse(key, "a duration from " + seconds(min) + " to " + seconds(max)
                + " (seconds, or a number with ms, s, m or h)", v -> {
                    Duration d = parseDuration(v);
                    return d != null && d.compareTo(min) >= 0 && d.compareTo(max) <= 0 ? d : null;
                }, min);
    }

    /**
     * One of a fixed set of words, mapped to values; words are compared ignoring case.
     *
     * @param key     a declared key
     * @param choices word to value, in the order to list them in messages
     * @param <T>     the value type
     * @return the value, or the first choice if bad
     */
    public <T> T getChoice(String key, Map<String, T> choices) {
        String expected = "one of " + String.join(", ", choices.keySet());
        return parse(key, expected, v -> choices.get(v.toLowerCase(Locale.ROOT)), choices.values().iterator().next());
    }

    /**
     * An enum constant, written in the file in lower case with {@code -} or {@code _} for
     * {@code _} ({@code ROUND_ROBIN} is {@code round_robin} or {@code round-robin}).
     *
     * @param key  a declared key
     * @param type the enum
     * @param <E>  the enum type
     * @return the value, or the first constant if bad
     */
    public <E extends Enum<E>> E getEnum(String key, Class<E> type) {
        Map<String, E> choices = new LinkedHashMap<>();
        for (E constant : type.getEnumConstants()) {
            choices.put(constant.name().toLowerCase(Locale.ROOT), constant);
        }
        String expected = "one of " + String.join(", ", choices.keySet());
        return parse(key, expected, v -> choices.get(v.toLowerCase(Locale.ROOT).replace('-', '_')),
                type.getEnumConstants()[0]);
    }

    /**
     * A comma-separated list of non-empty items, trimmed; an empty value is an empty list.
     *
     * @param key a declared key
     * @return the items
     */
    public List<String> getList(String key) {
        return parse(key, "a comma-separated list without empty items", ConfigReader::splitList, List.of());
    }

    /**
     * A comma-separated list of {@code host:port} (or {@code host} with the default port).
     *
     * @param key         a declared key
     * @param defaultPort the port for items without one, or 0 to require a port
     * @return the addresses
     */
    public List<HostAndPort> getHostPorts(String key, int defaultPort) {
        return parse(key, "a comma-separated list of HOST:PORT", v -> {
            List<String> items = splitList(v);
            if (items == null) {
                return null;
            }
            List<HostAndPort> out = new ArrayList<>(items.size());
            for (String item : items) {
                try {
                    out.add(HostAndPort.parse(item, defaultPort));
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
            return List.copyOf(out);
        }, List.of());
    }

    /**
     * Reads a value with a custom parser. The parser returns {@code null} for a bad value.
     *
     * @param key      a declared key
     * @param expected what the value must be, completing "KEY must be ..."
     * @param parser   text to value, null when bad
     * @param fallback what to return when the value is bad or absent without a default
     * @param <T>      the value type
     * @return the value
     */
    public <T> T parse(String key, String expected, Function<String, T> parser, T fallback) {
        Optional<String> text = find(key);
        if (text.isEmpty()) {
            return fallback;
        }
        T value;
        try {
            value = parser.apply(text.get());
        } catch (RuntimeException e) {
            value = null;
        }
        if (value == null) {
            reject(key, expected);
            return fallback;
        }
        return value;
    }

    // ------------------------------------------------------------------ reporting

    /**
     * Records that the key's value is not what it must be:
     * {@code FILE:LINE: KEY must be EXPECTATION, but was "VALUE"} (key and value with invisible
     * characters escaped). Use it for checks across keys
     * too (e.g. {@code "at most scale-max-instances (10)"}).
     *
     * @param key         the key whose value is wrong
     * @param expectation what it must be
     */
    public void reject(String key, String expectation) {
        String value = find(key).orElse("");
        error(key, printableKey(key) + " must be " + expectation + ", but was \"" + printable(value) + "\"");
    }

    /**
     * Records an error about a key, at the key's line.
     *
     * @param key     the key
     * @param message the whole message; it should name the key
     */
    public void error(String key, String message) {
        report(ConfigProblem.Severity.ERROR, key, lineOf(key), message);
    }

    /**
     * Records a warning about a key, at the key's line.
     *
     * @param key     the key
     * @param message the whole message
     */
    public void warn(String key, String message) {
        report(ConfigProblem.Severity.WARNING, key, lineOf(key), message);
    }

    void report(ConfigProblem.Severity severity, String key, int line, String message) {
        // one error per key and message is enough, even when several modules read the key
        if (reportedKeys.add(key + "\u0000" + message)) {
            problems.add(new ConfigProblem(severity, config.source(), line, key, message));
        }
    }

    void checkDuplicates(String key) {
        if (!checkedDuplicates.add(key)) {
            return;
        }
        List<ConfigEntry> all = config.entriesOf(key);
        for (int i = 1; i < all.size(); i++) {
            report(ConfigProblem.Severity.ERROR, key, all.get(i).line(),
                    printableKey(key) + " is given twice: on line " + all.get(0).line() + " and on line " + all.get(i).line());
        }
    }

    /**
     * The problems recorded so far.
     *
     * @return a copy of the problems
     */
    public List<ConfigProblem> problems() {
        return List.copyOf(problems);
    }

    /**
     * Whether any error was recorded.
     *
     * @return true if a value was bad
     */
    public boolean hasErrors() {
        return problems.stream().anyMatch(ConfigProblem::isError);
    }

    /**
     * Whether an error was recorded for a key (so that checks across keys can skip bad values).
     *
     * @param key the key
     * @return true if the key's value was rejected
     */
    public boolean hasErrors(String key) {
        return problems.stream().anyMatch(p -> p.isError() && key.equals(p.key()));
    }

    /**
     * Throws the recorded errors, if any, as one exception.
     *
     * @throws ConfigException listing every error in line order
     */
    public void throwIfInvalid() {
        if (hasErrors()) {
            List<ConfigProblem> errors = problems.stream().filter(ConfigProblem::isError)
                    .sorted(java.util.Comparator.comparingInt(ConfigProblem::line))
                    .collect(Collectors.toList());
            throw new ConfigException(errors);
        }
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Parses a duration as {@link #getDuration} does.
     *
     * @param text the text
     * @return the duration, or null if it is not one
     */
    static Duration parseDuration(String text) {
        String v = text.trim().toLowerCase(Locale.ROOT);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,12})(ms|s|m|h)?").matcher(v);
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }

    private static List<String> splitList(String v) {
        if (v.isEmpty()) {
            return List.of();
        }
        List<String> items = Arrays.stream(v.split(",", -1)).map(String::trim).collect(Collectors.toList());
        return items.stream().anyMatch(String::isEmpty) ? null : List.copyOf(items);
    }

    private static String seconds(Duration d) {
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + "ms";
        }
        return d.getSeconds() + "s";
    }

    private static String format(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    /**
     * A value as messages quote it: invisible characters escaped (see {@link #escape}), quotes and
     * backslashes escaped, cut after 80 characters.
     */
    static String printable(String value) {
        return escape(value, true, 80);
    }

    /**
     * A key as messages show it: invisible characters escaped and backslashes doubled, cut after
     * 80 characters, so that a key with a control character, a byte-order mark
     * or a non-breaking space can neither drive the terminal nor pass for a key of ours.
     */
    static String printableKey(String key) {
        return escape(key, false, 80);
    }

    /**
     * Escapes as {@code \\uXXXX} every character that would not show as itself on a terminal:
     * controls (C0, DEL, C1), format characters (byte-order mark, zero-width and bidi controls), every
     * space but the ASCII one (no-break, en, em, ideographic, line and paragraph separators) and
     * unpaired surrogates; a backslash is doubled, a quote escaped when {@code quote}.
     *
     * @param text  the text
     * @param quote whether {@code "} is escaped too
     * @param limit most characters shown before {@code ...}, or {@link Integer#MAX_VALUE}
     * @return the text, printable
     */
    static String escape(String text, boolean quote, int limit) {
        StringBuilder sb = new StringBuilder(Math.min(text.length(), limit) + 8);
        for (int i = 0; i < text.length(); i++) {
            if (sb.length() >= limit) {
                sb.append("...");
                break;
            }
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                sb.append(c).append(text.charAt(++i));
            } else if (isInvisible(c) || Character.isSurrogate(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else if (c == '\\' || quote && c == '"') {
                sb.append('\\').append(c);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A control, format or space character other than the ASCII space. */
    private static boolean isInvisible(char c) {
        return c < 0x20 || c >= 0x7f && c <= 0x9f || Character.getType(c) == Character.FORMAT
                || c != ' ' && Character.isSpaceChar(c);
    }

    /**
     * A key as it was probably meant: in lower case, without controls, format characters (a stray
     * byte-order mark, zero-width spaces) or spaces of any kind. {@code Rate-Limit-Requests} and
     * {@code \\u00a0rate-limit-requests} both fold to {@code rate-limit-requests}.
     *
     * @param key a key as written
     * @return the folded key
     */
    static String fold(String key) {
        StringBuilder sb = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!isInvisible(c) && !Character.isWhitespace(c) && !Character.isSpaceChar(c)) {
                sb.append(c);
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }
}
