package io.generalbots.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.generalbots.autoscale.MetricsSettings;
import io.generalbots.autoscale.ScalingSettings;
import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigException;
import io.generalbots.scaling.config.ConfigKey;
import io.generalbots.scaling.config.ConfigKeyRegistry;
import io.generalbots.scaling.config.ConfigProblem;
import io.generalbots.scaling.config.ConfigReport;
import io.generalbots.scaling.health.HealthSettings;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Feeds generated config.csv files to the reader: whatever the bytes, nothing but a
 * {@link ConfigException} escapes (from parsing only for a line over the size limit), and every
 * problem carries the line it is on.
 */
class ConfigFuzzTest {

    private static final List<String> KEYS = ConfigKeyRegistry.fromClasspath().keys().stream()
            .map(ConfigKey::name).map(n -> n.replace("*", "x")).toList();

    @Property(tries = 2_000) // every module's keys and validation per try: 10,000 took minutes on a loaded 2-core CI machine
    void onlyConfigExceptionsEscapeAndEveryProblemHasALine(@ForAll("files") String text, @ForAll boolean strict) {
        BotConfig config;
        try {
            config = BotConfig.parse("fuzz.csv", text);
        } catch (ConfigException e) {
            // only the size limits stop parsing: a line over 64 KiB (the generator makes some)
            assertThat(e.problems()).singleElement().satisfies(p -> {
                assertThat(p.line()).isPositive();
                assertThat(p.message()).isEqualTo("a line must be at most 65536 bytes (64 KiB), but this one is longer");
            });
            return;
        }
        ConfigReport report = config.validate(strict);
        for (ConfigProblem problem : report.problems()) {
            assertThat(problem.line()).as(problem.toString()).isPositive();
            assertThat(problem.toString()).startsWith("fuzz.csv:" + problem.line() + ": ");
        }
        assertThat(report.effectiveSettings()).isNotNull();
        for (Runnable read : List.<Runnable>of(() -> ScalingSettings.from(config), () -> HealthSettings.from(config),
                () -> MetricsSettings.from(config))) {
            try {
                read.run();
            } catch (ConfigException e) {
                assertThat(e.problems()).allSatisfy(p -> assertThat(p.line()).isPositive());
                assertThat(report.hasErrors()).as("a module's error is also an error of the whole file").isTrue();
            }
        }
    }

    @Provide
    Arbitrary<String> files() {
        Arbitrary<String> key = Arbitraries.oneOf(
                Arbitraries.of(KEYS),
                Arbitraries.of(KEYS).map(k -> k.substring(0, Math.max(1, k.length() - 2))),
                Arbitraries.strings().ofMaxLength(12),
                Arbitraries.of("name", "#", "bot-name", " scale-enabled ", "\"scale-enabled\""));
        Arbitrary<String> value = Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.of("true", "false", "0", "1", "70", "-5", "100.5", "7o", "", "30s", "5m", "99999999999999999999",
                        "up", "down", "a,b", ",,", "\"quoted, value\"", "redis-1:6379,redis-2:6379")),
                Tuple.of(5, Arbitraries.integers().between(-10, 2000).map(String::valueOf)),
                Tuple.of(5, Arbitraries.strings().all().ofMaxLength(20)),
                Tuple.of(5, Arbitraries.strings().withChars('\u0000', '\u0001', '\r', '\n', '"', ',', '#', '\uFEFF', ' ',
                        '\t').ofMaxLength(8)),
                // a huge line, built cheaply
                Tuple.of(1, Arbitraries.integers().between(5_000, 70_000).map(n -> "9".repeat(n))));
        Arbitrary<String> line = Combinators.combine(key, value, Arbitraries.of(",", ", ", " ,", "", ",,"))
                .as((k, v, sep) -> k + sep + v);
        Arbitrary<String> eol = Arbitraries.of("\n", "\r\n", "\r");
        Arbitrary<String> body = Combinators.combine(line, eol).as(String::concat).list().ofMaxSize(30)
                .map(lines -> String.join("", lines));
        return Combinators.combine(Arbitraries.of("", "\uFEFF", "name,value\n", "\uFEFFname,value\r\n"), body)
                .as(String::concat);
    }
}
