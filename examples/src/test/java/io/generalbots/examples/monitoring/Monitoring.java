package io.generalbots.examples.monitoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.generalbots.scaling.testing.ServerProcess;

/** The shipped monitoring files and what the tests need to read them and run promtool. */
final class Monitoring {

    private Monitoring() {
    }

    /**
     * The repository's {@code monitoring} directory, found from the module's working directory.
     *
     * @return the directory
     */
    static Path dir() {
        Path here = Path.of("").toAbsolutePath();
        for (int up = 0; up < 4 && here != null; up++, here = here.getParent()) {
            Path candidate = here.resolve("monitoring");
            if (Files.isRegularFile(candidate.resolve("alerting-rules.yml"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("monitoring/alerting-rules.yml not found above " + Path.of("").toAbsolutePath());
    }

    static Path rules() {
        return dir().resolve("alerting-rules.yml");
    }

    static Path dashboard() {
        return dir().resolve("grafana-dashboard.json");
    }

    static Path repositoryRoot() {
        return dir().getParent();
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The names of the alerts of a rules file, in order.
     *
     * @param rulesYaml the file's text
     * @return the names
     */
    static List<String> alertNames(String rulesYaml) {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\s*- alert:\\s*(\\S+)\\s*$").matcher(rulesYaml);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /**
     * The expressions of a rules file ({@code expr:} lines; ours are one line each).
     *
     * @param rulesYaml the file's text
     * @return the expressions
     */
    static List<String> ruleExpressions(String rulesYaml) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\s*expr:\\s*(.+)$").matcher(rulesYaml);
        while (m.find()) {
            out.add(m.group(1).trim());
        }
        return out;
    }

    private static final Set<String> NOT_METRICS = Set.of(
            // aggregation operators and keywords
            "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk",
            "quantile", "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or",
            "unless", "offset", "atan2", "inf", "nan",
            // functions used in our files (a function name is followed by '(')
            "rate", "irate", "increase", "delta", "idelta", "deriv", "histogram_quantile", "clamp_min", "clamp_max",
            "max_over_time", "min_over_time", "avg_over_time", "sum_over_time", "changes", "resets", "label_replace",
            "abs", "ceil", "floor", "round", "vector", "scalar", "time", "timestamp", "absent", "sort", "sort_desc",
            "last_over_time", "present_over_time", "le");

    /**
     * The metric names a PromQL expression reads: identifiers outside label matchers, strings,
     * durations and grouping clauses, that are not functions or keywords.
     *
     * @param expr the expression
     * @return the metric names
     */
    static Set<String> metricNames(String expr) {
        String s = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")     // strings
                .replaceAll("\\{[^}]*}", " ")                                 // label matchers
                .replaceAll("\\[[^\\]]*]", " ")                               // ranges
                .replaceAll("(?i)\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\$\\{?\\w+}?", " ");                             // dashboard variables
        Set<String> names = new LinkedHashSet<>();
        Matcher m = Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?").matcher(s);
        while (m.find()) {
            String word = m.group(1);
            boolean call = m.group(2) != null;
            if (!call && !NOT_METRICS.contains(word) && !word.matches("\\d.*")) {
                names.add(word);
            }
        }
        return names;
    }

    /** What a finished process printed and its exit code. */
    record Run(int exitCode, String output) {
    }

    /**
     * Runs a binary of the {@code prometheus} package (promtool) and waits, boundedly, for it.
     *
     * @param dir     the working directory
     * @param command the command; the first element is looked up on PATH (missing: a loud failure)
     * @return the exit code and output
     */
    static Run run(Path dir, String... command) {
        List<String> cmd = new ArrayList<>(List.of(command));
        cmd.set(0, ServerProcess.requireBinary(cmd.get(0)));
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(cmd + " did not finish within 60 s");
            }
            return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
