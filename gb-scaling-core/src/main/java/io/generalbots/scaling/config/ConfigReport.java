package io.generalbots.scaling.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The result of checking a whole {@code config.csv}: its problems and its effective settings.
 */
public final class ConfigReport {

    /**
     * One effective setting: a key of ours with the value in force and where it came from.
     *
     * @param key   the key
     * @param value the value in force
     * @param line  the line it was read from, or 0 for a default
     */
    public record Setting(String key, String value, int line) {

        /**
         * Whether the value is the declared default.
         *
         * @return true if no line of the file set it
         */
        public boolean isDefault() {
            return line == 0;
        }

        /**
         * Whether the key holds a secret (a password, token, API key or secret), by its name.
         *
         * @return true for secrets
         */
        public boolean isSecret() {
            return SECRET.matcher(key).find();
        }

        /**
         * {@code key = value  (line N)} or {@code key = value  (default)}, as {@code gb-scale check}
         * prints it. A secret's value is shown as {@code ****} (unless it names an environment
         * variable, {@code env:NAME}), and so is a password inside any URL
         * ({@code jdbc:postgresql://app:****@db/x}, {@code redis://:****@cache},
         * {@code ?user=app&password=****}), so that checking a config never prints a credential. Key
         * and value are shown with control, format and non-ASCII space characters escaped as
         * {@code \\uXXXX} (and a backslash doubled), so that nothing in a file drives the terminal.
         */
        @Override
        public String toString() {
            String shown = isSecret() && !value.isEmpty() && !value.startsWith("env:") ? "****"
                    : ConfigReader.escape(maskUrlCredentials(value), false, Integer.MAX_VALUE);
            return ConfigReader.escape(key, false, Integer.MAX_VALUE) + " = " + shown + "  ("
                    + (line == 0 ? "default" : "line " + line) + ")";
        }
    }

    private static final java.util.regex.Pattern URL_USER_INFO =
            java.util.regex.Pattern.compile("(//[^/@:?#\\s]*:)[^/@?#\\s]*@");
    private static final java.util.regex.Pattern URL_PASSWORD_PARAMETER =
            java.util.regex.Pattern.compile("(?i)([?&;](?:ssl)?password=)[^&;\\s]*");

    /**
     * The text with every password inside a URL replaced by {@code ****}: the password of a
     * {@code user:password@} part and the value of a {@code password=} (or {@code sslpassword=})
     * parameter.
     *
     * @param text any value
     * @return the text, masked
     */
    public static String maskUrlCredentials(String text) {
        String masked = URL_USER_INFO.matcher(text).replaceAll("$1****@");
        return URL_PASSWORD_PARAMETER.matcher(masked).replaceAll("$1****");
    }

    private static final java.util.regex.Pattern SECRET =
            java.util.regex.Pattern.compile("(password|secret|token|api-key)$");

    private final BotConfig config;
    private final List<ConfigProblem> problems;

    ConfigReport(BotConfig config, List<ConfigProblem> problems) {
        this.config = config;
        List<ConfigProblem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparingInt(ConfigProblem::line));
        this.problems = List.copyOf(sorted);
    }

    /**
     * Every problem, in line order.
     *
     * @return the problems
     */
    public List<ConfigProblem> problems() {
        return problems;
    }

    /**
     * Whether any problem is an error.
     *
     * @return true if the file is invalid
     */
    public boolean hasErrors() {
        return problems.stream().anyMatch(ConfigProblem::isError);
    }

    /**
     * Every setting of ours in force, sorted by key: each declared key that has a default or is
     * set, and each member of a key family present in the file. Keys without a default that the
     * file does not set are left out (they are off). Unknown keys are not settings.
     *
     * @return the settings
     */
    public List<Setting> effectiveSettings() {
        List<Setting> settings = new ArrayList<>();
        ConfigKeyRegistry registry = config.registry();
        for (ConfigKey key : registry.keys()) {
            if (key.isPattern()) {
                continue;
            }
            Optional<ConfigEntry> entry = config.entry(key.name());
            if (entry.isPresent()) {
                settings.add(new Setting(key.name(), entry.get().value(), entry.get().line()));
            } else {
                key.defaultValue().ifPresent(d -> settings.add(new Setting(key.name(), d, 0)));
            }
        }
        for (ConfigEntry entry : config.entries()) {
            Optional<ConfigKey> declared = registry.find(entry.name());
            if (declared.isPresent() && declared.get().isPattern()
                    && config.entry(entry.name()).orElseThrow().line() == entry.line()) {
                settings.add(new Setting(entry.name(), entry.value(), entry.line()));
            }
        }
        settings.sort(Comparator.comparing(Setting::key));
        return settings;
    }
}
