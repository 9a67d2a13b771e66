package io.generalbots.scaling.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BotConfigTest {

    @Test
    void valueIsEverythingAfterTheFirstComma() {
        BotConfig config = TestKeys.parse("cache-nodes,redis-1:6379,redis-2:6379\n"
                + "shard-ranges,0-999999:shard1,1000000-:shard2\n");
        assertThat(config.entry("cache-nodes").orElseThrow().value()).isEqualTo("redis-1:6379,redis-2:6379");
        assertThat(config.entry("shard-ranges").orElseThrow().value()).isEqualTo("0-999999:shard1,1000000-:shard2");
        assertThat(config.reader().getHostPorts("cache-nodes", 0))
                .containsExactly(new HostAndPort("redis-1", 6379), new HostAndPort("redis-2", 6379));
    }

    @Test
    void namesAndValuesAreTrimmedAndQuotesAreOrdinaryCharacters() {
        BotConfig config = TestKeys.parse("  shard-count ,  8  \nbot-title,\"Hello, world\"\n");
        assertThat(config.entry("shard-count").orElseThrow()).isEqualTo(new ConfigEntry("shard-count", "8", 1));
        assertThat(config.entry("bot-title").orElseThrow().value()).isEqualTo("\"Hello, world\"");
    }

    @Test
    void blankLinesCommentsAndTheHeaderAreSkippedAndLinesKeepTheirNumbers() {
        BotConfig config = TestKeys.parse("name,value\n\n# a comment\n   # an indented comment\nshard-count,8\n");
        assertThat(config.entries()).containsExactly(new ConfigEntry("shard-count", "8", 5));
    }

    @Test
    void headerIsOnlyTheFirstRow() {
        BotConfig config = TestKeys.parse("shard-count,8\nname,value\n");
        assertThat(config.entries()).extracting(ConfigEntry::name).containsExactly("shard-count", "name");
    }

    @Test
    void byteOrderMarkAndCrlfAreAccepted() {
        BotConfig config = TestKeys.parse("\uFEFFname,value\r\nshard-count,8\r\n\r\nshard-algorithm,jump\r\n");
        assertThat(config.entries()).containsExactly(new ConfigEntry("shard-count", "8", 2),
                new ConfigEntry("shard-algorithm", "jump", 4));
    }

    @Test
    void lineWithoutCommaHasAnEmptyValueThatTypedReadsReject() {
        BotConfig config = TestKeys.parse("scale-enabled\n");
        ConfigReader reader = config.reader();
        reader.getBoolean("scale-enabled");
        assertThat(reader.problems()).extracting(ConfigProblem::toString)
                .containsExactly("config.csv:1: scale-enabled must be true or false, but was \"\"");
    }

    @Test
    void badIntegerNamesFileLineKeyValueAndRange() {
        ConfigReader reader = TestKeys.parse("\n\nshard-count,4o\n").reader();
        assertThat(reader.getInt("shard-count", 1, 1024)).isEqualTo(1);
        assertThat(reader.problems()).extracting(ConfigProblem::toString)
                .containsExactly("config.csv:3: shard-count must be an integer from 1 to 1024, but was \"4o\"");
    }

    @Test
    void outOfRangeIntegerIsRejectedNotClamped() {
        ConfigReader reader = TestKeys.parse("shard-count,5000\n").reader();
        reader.getInt("shard-count", 1, 1024);
        assertThatThrownBy(reader::throwIfInvalid).isInstanceOf(ConfigException.class)
                .hasMessage("config.csv:1: shard-count must be an integer from 1 to 1024, but was \"5000\"");
    }

    @Test
    void badNumberMessageMatchesTheDesign() {
        ConfigReader reader = TestKeys.parse("a,b\nb,c\nc,d\nd,e\ne,f\nf,g\ng,h\nh,i\ni,j\nj,k\nk,l\n"
                + "scale-cpu-threshold,7o\n").reader();
        reader.getDouble("scale-cpu-threshold", 1, 100);
        assertThat(reader.problems()).extracting(ConfigProblem::toString).containsExactly(
                "config.csv:12: scale-cpu-threshold must be a number from 1 to 100, but was \"7o\"");
    }

    @Test
    void decimalNumbersAreAcceptedButNotNaNOrHex() {
        assertThat(TestKeys.parse("qdrant-ratio,0.25\n").reader().getDouble("qdrant-ratio", 0, 1)).isEqualTo(0.25);
        for (String bad : List.of("NaN", "0x1", "1e-1", "Infinity")) {
            ConfigReader reader = TestKeys.parse("qdrant-ratio," + bad + "\n").reader();
            reader.getDouble("qdrant-ratio", 0, 1);
            assertThat(reader.problems()).extracting(ConfigProblem::message)
                    .containsExactly("qdrant-ratio must be a number from 0 to 1, but was \"" + bad + "\"");
        }
    }

    @Test
    void durationsAreSecondsOrHaveAUnit() {
        assertThat(TestKeys.parse("rate-limit-window,90\n").reader()
                .getDuration("rate-limit-window", Duration.ofSeconds(1), Duration.ofDays(1))).hasSeconds(90);
        assertThat(TestKeys.parse("rate-limit-window,5m\n").reader()
                .getDuration("rate-limit-window", Duration.ofSeconds(1), Duration.ofDays(1))).hasMinutes(5);
        assertThat(TestKeys.parse("rate-limit-window,1500ms\n").reader()
                .getDuration("rate-limit-window", Duration.ofSeconds(1), Duration.ofDays(1))).hasMillis(1500);
        ConfigReader reader = TestKeys.parse("rate-limit-window,0\n").reader();
        reader.getDuration("rate-limit-window", Duration.ofSeconds(1), Duration.ofDays(1));
        assertThat(reader.problems()).extracting(ConfigProblem::message).containsExactly(
                "rate-limit-window must be a duration from 1s to 86400s (seconds, or a number with ms, s, m or h),"
                        + " but was \"0\"");
    }

    @Test
    void enumsListTheirChoices() {
        assertThat(TestKeys.parse("shard-algorithm,JUMP\n").reader().getEnum("shard-algorithm", TestKeys.Algorithm.class))
                .isEqualTo(TestKeys.Algorithm.JUMP);
        ConfigReader reader = TestKeys.parse("shard-algorithm,rendezvous\n").reader();
        reader.getEnum("shard-algorithm", TestKeys.Algorithm.class);
        assertThat(reader.problems()).extracting(ConfigProblem::message).containsExactly(
                "shard-algorithm must be one of modulo, jump, but was \"rendezvous\"");
    }

    @Test
    void listsRejectEmptyItemsAndHostPortListsRejectBadPorts() {
        ConfigReader reader = TestKeys.parse("cache-nodes,redis-1:6379,,redis-2:6379\n").reader();
        reader.getList("cache-nodes");
        assertThat(reader.problems()).extracting(ConfigProblem::message).containsExactly(
                "cache-nodes must be a comma-separated list without empty items, but was \"redis-1:6379,,redis-2:6379\"");

        ConfigReader ports = TestKeys.parse("cache-nodes,redis-1:6379,redis-2:99999\n").reader();
        assertThat(ports.getHostPorts("cache-nodes", 0)).isEmpty();
        assertThat(ports.problems()).extracting(ConfigProblem::message).containsExactly(
                "cache-nodes must be a comma-separated list of HOST:PORT, but was \"redis-1:6379,redis-2:99999\"");
        assertThat(TestKeys.parse("cache-nodes,[::1]:7000,redis\n").reader().getHostPorts("cache-nodes", 6379))
                .containsExactly(new HostAndPort("::1", 7000), new HostAndPort("redis", 6379));
    }

    @Test
    void controlCharactersInValuesAreEscapedInMessages() {
        ConfigReader reader = TestKeys.parse("shard-count,4\u0000\u0007\n").reader();
        reader.getInt("shard-count", 1, 1024);
        assertThat(reader.problems()).extracting(ConfigProblem::message).containsExactly(
                "shard-count must be an integer from 1 to 1024, but was \"4\\u0000\\u0007\"");
    }

    @Test
    void defaultsApplyWhenAKeyIsAbsent() {
        ConfigReader reader = TestKeys.parse("").reader();
        assertThat(reader.getInt("shard-count", 1, 1024)).isEqualTo(4);
        assertThat(reader.lineOf("shard-count")).isZero();
        assertThat(reader.problems()).isEmpty();
    }

    @Test
    void readingAnUndeclaredKeyIsAProgrammingError() {
        assertThatThrownBy(() -> TestKeys.parse("").reader().getInt("shard-nope", 1, 2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("key shard-nope is read but no ConfigKeyProvider on the class path declares it; if this is a shaded"
                        + " (fat) jar, its META-INF/services/io.generalbots.scaling.config.ConfigKeyProvider files were not"
                        + " merged: add maven-shade-plugin's ServicesResourceTransformer");
    }

    @Test
    void keyGivenTwiceIsAnErrorNamingBothLines() {
        ConfigReader reader = TestKeys.parse("shard-count,4\nbot,x\nshard-count,8\n").reader();
        assertThat(reader.getInt("shard-count", 1, 1024)).isEqualTo(8);
        assertThat(reader.problems()).extracting(ConfigProblem::toString)
                .containsExactly("config.csv:3: shard-count is given twice: on line 1 and on line 3");
    }

    @Test
    void unknownKeyOfOursIsAWarningWithASuggestion() {
        ConfigReport report = TestKeys.parse("scale-cpu-treshold,50\nrate-limit-api-chta,5\n").validate(false);
        assertThat(report.hasErrors()).isFalse();
        assertThat(report.problems()).extracting(ConfigProblem::toString).containsExactly(
                "config.csv:1: warning: unknown key scale-cpu-treshold; did you mean scale-cpu-threshold?");
    }

    @Test
    void unknownKeyFarFromAnyKnownOneHasNoSuggestion() {
        ConfigReport report = TestKeys.parse("scale-banana-count,3\n").validate(false);
        assertThat(report.problems()).extracting(ConfigProblem::toString)
                .containsExactly("config.csv:1: warning: unknown key scale-banana-count");
    }

    @Test
    void unknownKeyIsAnErrorInStrictMode() {
        ConfigReport report = TestKeys.parse("shard-cuont,3\n").validate(true);
        assertThat(report.hasErrors()).isTrue();
        assertThat(report.problems()).extracting(ConfigProblem::toString)
                .containsExactly("config.csv:1: unknown key shard-cuont; did you mean shard-count?");
    }

    @Test
    void nearMissesOutsideOurPrefixesAreReportedNotIgnored() {
        ConfigReport report = TestKeys.parse("ratelimit-window,5\nshard_count,8\ncircuitbreaker-threshold,3\n"
                + "ratelimit-windw,5\nllm-model,x\ncache_ttl,5\n").validate(false);
        String prefixes = " (keys of gb-scaling start with scale-, rate-limit-, shard-, qdrant-, cache-, health-, "
                + "circuit-breaker-, fallback-, metrics-)";
        assertThat(report.problems()).extracting(ConfigProblem::toString).containsExactly(
                "config.csv:1: warning: unknown key ratelimit-window; did you mean rate-limit-window?" + prefixes,
                "config.csv:2: warning: unknown key shard_count; did you mean shard-count?" + prefixes,
                "config.csv:3: warning: unknown key circuitbreaker-threshold" + prefixes,
                "config.csv:4: warning: unknown key ratelimit-windw; did you mean rate-limit-window?" + prefixes);
        assertThat(TestKeys.parse("ratelimit-window,5\n").validate(true).hasErrors()).isTrue();
    }

    @Test
    void keysOfBotserverAreIgnored() {
        ConfigReport report = TestKeys.parse("bot-name,demo\nllm-model,x\nscale,1\n").validate(true);
        assertThat(report.problems()).isEmpty();
    }

    @Test
    void keyFamiliesAreKnownAndListedAsSettings() {
        ConfigReport report = TestKeys.parse("rate-limit-api-chat,30\n").validate(true);
        assertThat(report.problems()).isEmpty();
        assertThat(report.effectiveSettings()).contains(new ConfigReport.Setting("rate-limit-api-chat", "30", 1));
    }

    @Test
    void allProblemsOfAFileAreReportedTogetherInLineOrder() {
        BotConfig config = TestKeys.parse("scale-min-instances,2\nscale-cpu-threshold,7o\n"
                + "scale-cpu-treshold,50\nscale-min-instances,3\n");
        assertThatThrownBy(() -> config.validateOrThrow(false)).isInstanceOf(ConfigException.class)
                .hasMessage(String.join("\n",
                        "config.csv:2: scale-cpu-threshold must be a number from 1 to 100, but was \"7o\"",
                        "config.csv:3: warning: unknown key scale-cpu-treshold; did you mean scale-cpu-threshold?",
                        "config.csv:4: scale-min-instances is given twice: on line 1 and on line 4"))
                .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(3));
    }

    @Test
    void effectiveSettingsSayWhereEachValueCameFrom() {
        ConfigReport report = TestKeys.parse("name,value\nscale-cpu-threshold,75\n").validate(false);
        assertThat(report.effectiveSettings()).extracting(ConfigReport.Setting::toString)
                .contains("scale-cpu-threshold = 75  (line 2)", "scale-min-instances = 1  (default)");
    }

    @Test
    void secretsAreMaskedInEffectiveSettings() {
        assertThat(new ConfigReport.Setting("qdrant-api-key", "s3cr3t", 4).toString())
                .isEqualTo("qdrant-api-key = ****  (line 4)");
        assertThat(new ConfigReport.Setting("qdrant-api-key", "env:QDRANT_KEY", 4).toString())
                .isEqualTo("qdrant-api-key = env:QDRANT_KEY  (line 4)");
        assertThat(new ConfigReport.Setting("scale-proxy-cookie-secret", "x", 2).toString())
                .isEqualTo("scale-proxy-cookie-secret = ****  (line 2)");
    }

    @Test
    void passwordsInsideUrlsAreMaskedInEffectiveSettings() {
        assertThat(new ConfigReport.Setting("shard-url-template",
                "jdbc:postgresql://app:s3cr3t@{host}/{database}?sslmode=require&password=p2&x=1", 3).toString())
                .isEqualTo("shard-url-template = jdbc:postgresql://app:****@{host}/{database}?sslmode=require&password=****&x=1"
                        + "  (line 3)");
        assertThat(new ConfigReport.Setting("scale-leader-url", "redis://:hunter2@cache:6379/0", 1).toString())
                .isEqualTo("scale-leader-url = redis://:****@cache:6379/0  (line 1)");
        assertThat(new ConfigReport.Setting("shard-url-shard-1", "jdbc:postgresql://db/x?user=a;sslpassword=k", 2).toString())
                .isEqualTo("shard-url-shard-1 = jdbc:postgresql://db/x?user=a;sslpassword=****  (line 2)");
        assertThat(new ConfigReport.Setting("cache-nodes", "redis-1:6379,redis-2:6379", 4).toString())
                .isEqualTo("cache-nodes = redis-1:6379,redis-2:6379  (line 4)");
    }

    @Test
    void missingFileIsOneErrorNamingIt(@TempDir Path dir) {
        Path file = dir.resolve("config.csv");
        assertThatThrownBy(() -> BotConfig.load(file)).isInstanceOf(ConfigException.class)
                .hasMessage(file + ":0: " + file + " does not exist");
    }

    @Test
    void fileThatIsNotUtf8IsRejected(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.csv");
        Files.write(file, new byte[] {'a', ',', (byte) 0xC3, (byte) 0x28});
        assertThatThrownBy(() -> BotConfig.load(file)).isInstanceOf(ConfigException.class)
                .hasMessage(file + ":0: " + file + " is not valid UTF-8 text");
    }

    @Test
    void loadReadsAFileAndNamesItInMessages(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.csv");
        Files.writeString(file, "health-retries,zero\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> io.generalbots.scaling.health.HealthSettings.from(BotConfig.load(file)))
                .hasMessage(file + ":1: health-retries must be an integer from 0 to 100, but was \"zero\"");
    }

    // ------------------------------------------------------------------ input limits (issue 12)

    @Test
    void devZeroIsRefusedAtItsFirstLineWithoutReadingItAll() {
        Path zero = Path.of("/dev/zero");
        org.junit.jupiter.api.Assertions.assertTrue(Files.exists(zero), "needs /dev/zero");
        assertThatThrownBy(() -> BotConfig.load(zero)).isInstanceOf(ConfigException.class)
                .hasMessage("/dev/zero:1: a line must be at most 65536 bytes (64 KiB), but this one is longer")
                .satisfies(e -> assertThat(((ConfigException) e).problems()).singleElement()
                        .satisfies(p -> assertThat(p.line()).isEqualTo(1)));
    }

    @Test
    void aLineOf64KibIsReadOneByteMoreIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.csv");
        String atLimit = "bot-greeting," + "x".repeat(BotConfig.MAX_LINE_BYTES - "bot-greeting,".length());
        Files.writeString(file, "scale-enabled,true\n" + atLimit + "\n");
        assertThat(BotConfig.load(file).entry("bot-greeting").orElseThrow().value()).hasSize(65523);
        Files.writeString(file, "scale-enabled,true\n" + atLimit + "x\n");
        assertThatThrownBy(() -> BotConfig.load(file))
                .hasMessage(file + ":2: a line must be at most 65536 bytes (64 KiB), but this one is longer");
        assertThatThrownBy(() -> TestKeys.parse("scale-enabled,true\n" + atLimit + "x\n"))
                .hasMessage("config.csv:2: a line must be at most 65536 bytes (64 KiB), but this one is longer");
    }

    @Test
    void aFileOf1MibIsReadOneLineMoreIsRefusedAtThatLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.csv");
        // "a,1\n" is 4 bytes: 262144 lines are exactly 1 MiB
        Files.writeString(file, "a,1\n".repeat(262_144));
        assertThat(BotConfig.load(file).entries()).hasSize(262_144);
        Files.writeString(file, "a,1\n".repeat(262_145));
        assertThatThrownBy(() -> BotConfig.load(file)).isInstanceOf(ConfigException.class)
                .hasMessage(file + ":262145: the file must be at most 1048576 bytes (1 MiB), but is longer");
        assertThatThrownBy(() -> TestKeys.parse("a,1\r\n".repeat(210_000)))
                .hasMessage("config.csv:209716: the file must be at most 1048576 bytes (1 MiB), but is longer");
    }

    // ------------------------------------------------------------------ keys meant as ours (issue 12)

    @Test
    void keysThatDifferFromOursByCaseBomOrUnicodeSpacesAreUnknownKeysWithASuggestion() {
        ConfigReport report = TestKeys.parse("Scale-Max-Instances,4\n"
                + "\uFEFFscale-min-instances,2\n"
                + "\u00A0shard-count,8\n"
                + "shard-algorithm\u00A0,jump\n"
                + "scale-cpu\u200B-threshold,50\n"
                + "Rate-Limit-Window\u202F,30\n"
                + "RATE-LIMIT-API-CHAT,5\n"
                + "SCALE-CPU-TRESHOLD,50\n"
                + "Bot-Name,demo\n").validate(false);
        assertThat(report.hasErrors()).isFalse();
        assertThat(report.problems()).extracting(ConfigProblem::toString).containsExactly(
                "config.csv:1: warning: unknown key Scale-Max-Instances; did you mean scale-max-instances?",
                "config.csv:2: warning: unknown key \\ufeffscale-min-instances; did you mean scale-min-instances?",
                "config.csv:3: warning: unknown key \\u00a0shard-count; did you mean shard-count?",
                "config.csv:4: warning: unknown key shard-algorithm\\u00a0; did you mean shard-algorithm?",
                "config.csv:5: warning: unknown key scale-cpu\\u200b-threshold; did you mean scale-cpu-threshold?",
                "config.csv:6: warning: unknown key Rate-Limit-Window\\u202f; did you mean rate-limit-window?",
                "config.csv:7: warning: unknown key RATE-LIMIT-API-CHAT; did you mean rate-limit-api-chat?",
                "config.csv:8: warning: unknown key SCALE-CPU-TRESHOLD; did you mean scale-cpu-threshold?");
        assertThat(TestKeys.parse("Scale-Max-Instances,4\n").validate(true).problems())
                .extracting(ConfigProblem::toString)
                .containsExactly("config.csv:1: unknown key Scale-Max-Instances; did you mean scale-max-instances?");
    }

    @Test
    void keysAreEscapedInEveryMessageAndInTheEffectiveSettings() {
        BotConfig config = TestKeys.parse("rate-limit-api-ch\u001b[31mat,x\u0007\n"
                + "rate-limit-api-a\u0007,1\nrate-limit-api-a\u0007,2\n"
                + "scale-\u001b]0;pwned\u0007cpu,1\n");
        ConfigReader reader = config.reader();
        reader.getLong("rate-limit-api-ch\u001b[31mat", 1, 10);
        reader.getLong("rate-limit-api-a\u0007", 1, 10);
        assertThat(reader.problems()).extracting(ConfigProblem::toString).containsExactly(
                "config.csv:1: rate-limit-api-ch\\u001b[31mat must be an integer from 1 to 10, but was \"x\\u0007\"",
                "config.csv:3: rate-limit-api-a\\u0007 is given twice: on line 2 and on line 3");
        assertThat(config.validate(false).problems()).extracting(ConfigProblem::toString).contains(
                "config.csv:4: warning: unknown key scale-\\u001b]0;pwned\\u0007cpu");
        assertThat(config.validate(false).effectiveSettings()).extracting(ConfigReport.Setting::toString)
                .contains("rate-limit-api-ch\\u001b[31mat = x\\u0007  (line 1)", "rate-limit-api-a\\u0007 = 2  (line 3)");
        assertThat(new ConfigReport.Setting("shard-geo-eu\u0085", "a\\b\u00A0", 2).toString())
                .isEqualTo("shard-geo-eu\\u0085 = a\\\\b\\u00a0  (line 2)");
    }
}
