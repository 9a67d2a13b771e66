package io.generalbots.examples.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Every log line of the library names the component it is about, as HikariCP names its pool:
 * {@code scaler NAME: …}, {@code circuit breaker 'NAME' …}, {@code [SHARD] …}, {@code POOL: …}
 * (METRICS.md, "Logs"). Checked on the sources, so that a new line without a name fails the build.
 */
class LogLinesTest {

    /** The message pattern's first words: a kind and the name, a bracketed name, or a name alone. */
    private static final Pattern NAMED = Pattern.compile("^(\\[\\{}]|\\{}:|[a-z][a-z -]* (\\{}|'\\{}')[: ])");
    private static final Pattern CALL = Pattern.compile(
            "(?:LOG\\.(?:trace|debug|info|warn|error)|\\.log)\\(\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    /**
     * Components of which a process has one, named by their kind; lines about a whole kind being
     * switched off by config.csv; and config warnings, which start FILE:LINE.
     */
    private static final Map<String, List<String>> ONE_PER_PROCESS = Map.of(
            "RedisConnections.java", List.of("redis: "),
            "HealthAggregator.java", List.of("health: ", "health checks are disabled ("),
            "BreakerRegistry.java", List.of("circuit breakers are disabled ("),
            "BotConfig.java", List.of("{}"),
            "ConfigKeyRegistry.java", List.of("config keys: "));

    @Test
    void everyLogLineNamesItsComponent() throws IOException {
        List<String> unnamed = new ArrayList<>();
        int lines = 0;
        try (Stream<Path> files = Files.walk(Monitoring.repositoryRoot())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/")
                    && p.getFileName().toString().length() > 0 && p.toString().matches(".*/gb-[a-z-]+/src/main/.*")).toList()) {
                String source = Files.readString(f);
                if (!source.contains("LoggerFactory")) {
                    continue;
                }
                Matcher m = CALL.matcher(source);
                while (m.find()) {
                    lines++;
                    String message = m.group(1);
                    List<String> allowed = ONE_PER_PROCESS.getOrDefault(f.getFileName().toString(), List.of());
                    if (!NAMED.matcher(message).find() && allowed.stream().noneMatch(message::startsWith)) {
                        unnamed.add(f.getFileName() + ": \"" + message + "\"");
                    }
                }
            }
        }
        assertThat(lines).as("log lines found").isGreaterThan(80);
        assertThat(unnamed).as("log lines that do not start with the component's name").isEmpty();
    }
}
