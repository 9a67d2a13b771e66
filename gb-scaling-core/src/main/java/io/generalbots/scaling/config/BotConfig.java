package io.generalbots.scaling.config;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.generalbots.scaling.BoundedLineReader;
import io.generalbots.scaling.InputLimitException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A bot's {@code config.csv}, read the way botserver reads it.
 *
 * <ul>
 *   <li>One {@code name,value} per line; the value is everything after the <em>first</em> comma,
 *       so {@code cache-nodes,redis-1:6379,redis-2:6379} is one value. There is no quoting: a
 *       {@code "} is an ordinary character.</li>
 *   <li>Names and values are trimmed of white space (as Rust's {@code str::trim}: control characters
 *       such as NUL are kept, and so show up in error messages); blank lines and lines starting
 *       with {@code #} are skipped;
 *       a first row {@code name,value} is a header and skipped.</li>
 *   <li>A UTF-8 byte-order mark and CRLF (or CR) line ends are accepted.</li>
 *   <li>Limits: at most {@link #MAX_BYTES} bytes (1 MiB) in all and {@link #MAX_LINE_BYTES} bytes
 *       (64 KiB) on one line, counted in UTF-8 without the line end; more is an error
 *       {@code FILE:LINE: a line must be at most 65536 bytes (64 KiB), but this one is longer} or
 *       {@code FILE:LINE: the file must be at most 1048576 bytes (1 MiB), but is longer}. A bot's
 *       config.csv has a few dozen short lines; the limits only stop runaway input.</li>
 * </ul>
 *
 * <p>Reading never fails on content (only on the size limits): bad values, duplicate keys and unknown keys are found when the
 * settings are read ({@link #reader()}) or the whole file is checked ({@link #validate(boolean)}),
 * so that every problem of the file can be reported together. Keys that are not ours are kept
 * (botserver's own settings) and never reported.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class BotConfig {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BotConfig.class);

    /** The most bytes a config.csv may have: 1 MiB. */
    public static final long MAX_BYTES = 1L << 20;
    /** The most bytes one line of a config.csv may have, its end not counted: 64 KiB. */
    public static final int MAX_LINE_BYTES = 64 << 10;

    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
            .setDelimiter(',')
            .setQuote(null)
            .setEscape(null)
            .setIgnoreEmptyLines(false)
            .setRecordSeparator("\n")
            .get();

    private final String source;
    private final List<ConfigEntry> entries;
    private final Map<String, List<ConfigEntry>> byName;
    private final ConfigKeyRegistry registry;

    private BotConfig(String source, List<ConfigEntry> entries, ConfigKeyRegistry registry) {
        this.source = source;
        this.entries = List.copyOf(entries);
        Map<String, List<ConfigEntry>> map = new LinkedHashMap<>();
        for (ConfigEntry entry : this.entries) {
            map.computeIfAbsent(entry.name(), k -> new ArrayList<>(1)).add(entry);
        }
        map.replaceAll((k, v) -> List.copyOf(v));
        this.byName = Collections.unmodifiableMap(map);
        this.registry = registry;
    }

    /**
     * Reads a {@code config.csv} file as UTF-8. The file may be a device or a pipe: it is read as a
     * stream, line by line, and refused as soon as it goes past {@link #MAX_BYTES} in all or
     * {@link #MAX_LINE_BYTES} on one line ({@code FILE:LINE: a line must be at most 65536 bytes
     * (64 KiB), but this one is longer}), so that {@code /dev/zero} or a 50 MB file costs at most
     * one line of memory.
     *
     * @param file the file; its name as given is used in problem messages
     * @return the configuration
     * @throws ConfigException if the file cannot be read or is not UTF-8 (line 0), or is over a
     *                         limit (the line where it went over)
     */
    public static BotConfig load(Path file) {
        Objects.requireNonNull(file, "file");
        String source = file.toString();
        StringBuilder text = new StringBuilder();
        try (BoundedLineReader reader = new BoundedLineReader(Files.newInputStream(file), source, "the file",
                MAX_BYTES, MAX_LINE_BYTES)) {
            // lines joined with \n and none after the last: never longer than the file, same line numbers
            for (String line; (line = reader.readLine()) != null; ) {
                if (reader.lineNumber() > 1) {
                    text.append('\n');
                }
                text.append(line);
            }
        } catch (InputLimitException e) {
            throw new ConfigException(List.of(new ConfigProblem(ConfigProblem.Severity.ERROR, source, e.line(), null,
                    e.detail())));
        } catch (CharacterCodingException e) {
            throw fileProblem(source, "is not valid UTF-8 text");
        } catch (java.nio.file.NoSuchFileException e) {
            throw fileProblem(source, "does not exist");
        } catch (java.nio.file.AccessDeniedException e) {
            throw fileProblem(source, "cannot be read: permission denied");
        } catch (IOException e) {
            throw fileProblem(source, Files.isDirectory(file) ? "is a directory, not a config.csv file"
                    : "cannot be read: " + describe(e));
        }
        return parse(source, text.toString());
    }

    /**
     * Parses {@code config.csv} text.
     *
     * @param source the name to use in messages, e.g. {@code config.csv}
     * @param text   the file's content
     * @return the configuration
     * @throws ConfigException if the text is over a size limit ({@link #MAX_BYTES},
     *                         {@link #MAX_LINE_BYTES})
     */
    public static BotConfig parse(String source, String text) {
        return parse(source, text, ConfigKeyRegistry.fromClasspath());
    }

    /**
     * Parses {@code config.csv} text against a given registry of keys.
     *
     * @param source   the name to use in messages
     * @param text     the file's content
     * @param registry the known keys
     * @return the configuration
     * @throws ConfigException if the text is over {@link #MAX_BYTES} (in UTF-8) or has a line over
     *                         {@link #MAX_LINE_BYTES}, naming the line where it went over
     */
    public static BotConfig parse(String source, String text, ConfigKeyRegistry registry) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(registry, "registry");
        try {
            BoundedLineReader.checkText(text, source, "the file", MAX_BYTES, MAX_LINE_BYTES);
        } catch (InputLimitException e) {
            throw new ConfigException(List.of(new ConfigProblem(ConfigProblem.Severity.ERROR, source, e.line(), null,
                    e.detail())));
        }
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        // Without quotes, escapes, comment markers or skipped empty lines, every physical line is
        // exactly one record, so the record number is the line number.
        List<ConfigEntry> entries = new ArrayList<>();
        boolean first = true;
        try (CSVParser parser = CSVParser.parse(new StringReader(text), FORMAT)) {
            for (CSVRecord record : parser) {
                int line = Math.toIntExact(record.getRecordNumber());
                String name = record.get(0).strip();
                if (name.startsWith("#")) {
                    continue;
                }
                // the value is everything after the first comma: rejoin the other fields as they were
                String value = record.size() == 1 ? "" : String.join(",", Arrays.asList(record.values())
                        .subList(1, record.size())).strip();
                if (name.isEmpty() && value.isEmpty()) {
                    continue;
                }
                boolean header = first && name.equalsIgnoreCase("name") && value.equalsIgnoreCase("value");
                first = false;
                if (!header) {
                    entries.add(new ConfigEntry(name, value, line));
                }
            }
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            // Without quotes Commons CSV has no syntax errors to report; this is a safety net.
            throw fileProblem(source, "cannot be parsed: " + describe(e));
        }
        return new BotConfig(source, entries, registry);
    }

    /**
     * A configuration holding only the defaults (no entries).
     *
     * @return the empty configuration
     */
    public static BotConfig ofDefaults() {
        return new BotConfig("<defaults>", List.of(), ConfigKeyRegistry.fromClasspath());
    }

    /**
     * A configuration built from key/value pairs in code; entries carry line 0.
     *
     * @param values the settings, e.g. {@code Map.of("scale-enabled", "true")}
     * @return the configuration
     */
    public static BotConfig of(Map<String, String> values) {
        List<ConfigEntry> entries = new ArrayList<>();
        values.forEach((k, v) -> entries.add(new ConfigEntry(k.trim(), v.trim(), 0)));
        return new BotConfig("<code>", entries, ConfigKeyRegistry.fromClasspath());
    }

    /**
     * The name used in messages (the file name as given).
     *
     * @return the source name
     */
    public String source() {
        return source;
    }

    /**
     * The registry of known keys this configuration is read against.
     *
     * @return the registry
     */
    public ConfigKeyRegistry registry() {
        return registry;
    }

    /**
     * Every entry in file order, ours and botserver's, duplicates included.
     *
     * @return the entries
     */
    public List<ConfigEntry> entries() {
        return entries;
    }

    /**
     * The effective entry of a key (the last one, if given more than once; reading settings
     * reports the duplicate as an error).
     *
     * @param key the key
     * @return the entry, if the file has the key
     */
    public Optional<ConfigEntry> entry(String key) {
        List<ConfigEntry> all = byName.get(key);
        return all == null ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /**
     * Every entry of a key, in file order: more than one means the key was given twice.
     *
     * @param key the key
     * @return the entries, possibly empty
     */
    public List<ConfigEntry> entriesOf(String key) {
        return byName.getOrDefault(key, List.of());
    }

    /**
     * The distinct keys that start with a prefix, in file order (e.g. {@code rate-limit-api-}).
     *
     * @param prefix the prefix
     * @return the keys
     */
    public List<String> keysStartingWith(String prefix) {
        List<String> keys = new ArrayList<>();
        for (String key : byName.keySet()) {
            if (key.startsWith(prefix) && key.length() > prefix.length()) {
                keys.add(key);
            }
        }
        return keys;
    }

    /**
     * A new reader over this configuration, which collects the problems of the values it reads.
     *
     * @return the reader
     */
    public ConfigReader reader() {
        return new ConfigReader(this);
    }

    /**
     * Checks the whole file: every module's settings on the classpath, duplicate keys, unknown
     * keys of ours (warnings with a did-you-mean suggestion, or errors in strict mode). A key that
     * becomes ours once folded (lower case, without controls, format characters such as a stray
     * byte-order mark, or spaces such as U+00A0) is an unknown key of ours too, so that
     * {@code Rate-Limit-Requests} is reported ({@code did you mean rate-limit-requests?}) rather
     * than ignored as botserver's. Keys are shown with invisible characters escaped. A key that a
     * module on the class path declares but whose provider no service file lists (a shaded jar
     * built without ServicesResourceTransformer) is an error that says so
     * ({@link ConfigKeyRegistry#SHADING_HINT}).
     *
     * @param strict whether unknown keys of ours are errors
     * @return the report, with every problem and every effective setting
     */
    public ConfigReport validate(boolean strict) {
        ConfigReader reader = reader();
        for (ConfigKeyProvider provider : registry.providers()) {
            provider.validate(reader);
        }
        for (Map.Entry<String, List<ConfigEntry>> e : byName.entrySet()) {
            String key = e.getKey();
            boolean ours = ConfigKeyRegistry.isOurs(key);
            // Rate-Limit-Requests, a stray BOM or a no-break space: meant as ours, so not botserver's to ignore
            String folded = ConfigReader.fold(key);
            if (!ours && !ConfigKeyRegistry.isOurs(folded)) {
                // ratelimit-requests, circuitbreaker-threshold, shard_count: clearly meant for us
                Optional<String> nearMiss = registry.nearMiss(folded);
                if (nearMiss.isPresent() || ConfigKeyRegistry.looksOurs(folded)) {
                    String message = "unknown key " + ConfigReader.printableKey(key)
                            + nearMiss.map(s -> "; did you mean " + s + "?").orElse("")
                            + " (keys of gb-scaling start with " + String.join(", ", ConfigKeyRegistry.PREFIXES) + ")";
                    reader.report(strict ? ConfigProblem.Severity.ERROR : ConfigProblem.Severity.WARNING,
                            key, e.getValue().get(0).line(), message);
                }
                continue;
            }
            if (ours) {
                reader.checkDuplicates(key);
            }
            if (ours && registry.find(key).isEmpty() && registry.whyUnknown(key).isPresent()) {
                // a good key whose module lost its service file (a shaded jar): an error, since it would be ignored
                reader.report(ConfigProblem.Severity.ERROR, key, e.getValue().get(0).line(),
                        "unknown key " + ConfigReader.printableKey(key) + ": " + registry.whyUnknown(key).get());
                continue;
            }
            if (!ours || registry.find(key).isEmpty()) {
                Optional<String> suggestion = !folded.equals(key) && registry.find(folded).isPresent()
                        ? Optional.of(folded)
                        : registry.suggest(folded).or(() -> folded.equals(key) ? Optional.empty() : registry.suggest(key));
                String message = "unknown key " + ConfigReader.printableKey(key)
                        + suggestion.map(s -> "; did you mean " + ConfigReader.printableKey(s) + "?").orElse("");
                reader.report(strict ? ConfigProblem.Severity.ERROR : ConfigProblem.Severity.WARNING,
                        key, e.getValue().get(0).line(), message);
            }
        }
        return new ConfigReport(this, reader.problems());
    }

    /**
     * {@link #validate(boolean)}, throwing when the file has errors.
     *
     * @param strict whether unknown keys of ours are errors
     * @return the report (warnings only)
     * @throws ConfigException with every error of the file
     */
    public ConfigReport validateOrThrow(boolean strict) {
        ConfigReport report = validate(strict);
        if (report.hasErrors()) {
            throw new ConfigException(report.problems());
        }
        // a typo is a warning, and a warning nobody sees is a silent typo: log every one
        for (ConfigProblem warning : report.problems()) {
            LOG.warn("{}", warning);
        }
        return report;
    }

    @Override
    public String toString() {
        return "BotConfig[" + source + ", " + entries.size() + " entries]";
    }

    private static ConfigException fileProblem(String source, String message) {
        return new ConfigException(List.of(new ConfigProblem(ConfigProblem.Severity.ERROR, source, 0, null,
                source + " " + message)));
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
