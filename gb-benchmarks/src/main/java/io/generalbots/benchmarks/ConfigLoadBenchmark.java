package io.generalbots.benchmarks;

import java.io.IOException;
import java.io.StringReader;
import java.util.concurrent.TimeUnit;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigReport;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Loading a 10,000-line config.csv with {@link BotConfig} beside parsing the same text with plain
 * Commons CSV alone (the anchor): what botserver's rules (first-comma split, trimming, comments,
 * header, line numbers) and the index of keys cost on top of the CSV parsing itself.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ConfigLoadBenchmark {

    String text;

    @Setup
    public void setUp() {
        StringBuilder sb = new StringBuilder("name,value\n# generated: 10,000 lines\n");
        String[] ours = {"scale-enabled,true", "scale-min-instances,1", "scale-max-instances,10",
            "scale-cpu-threshold,70", "scale-memory-threshold,80", "scale-request-threshold,1000",
            "scale-cooldown-seconds,300", "scale-check-interval,30", "health-endpoint,/api/health"};
        for (String line : ours) {
            sb.append(line).append('\n');
        }
        for (int i = sb.toString().split("\n", -1).length - 1; i < 10_000; i++) {
            if (i % 10 == 0) {
                sb.append("# section ").append(i).append('\n');
            } else {
                sb.append("bot-setting-").append(i).append(",  value ").append(i).append(", with a comma\n");
            }
        }
        text = sb.toString();
    }

    /** The anchor: Commons CSV alone, default format, every record visited. */
    @Benchmark
    public long commonsCsvOnly() throws IOException {
        long n = 0;
        try (CSVParser parser = CSVParser.parse(new StringReader(text), CSVFormat.DEFAULT)) {
            for (CSVRecord record : parser) {
                n += record.size();
            }
        }
        return n;
    }

    /** Ours: parse with botserver's rules into an indexed, line-numbered config. */
    @Benchmark
    public BotConfig botConfigParse() {
        return BotConfig.parse("config.csv", text);
    }

    /** Ours, then the whole-file check that gb-scale check runs (every module's settings). */
    @Benchmark
    public ConfigReport botConfigParseAndValidate() {
        return BotConfig.parse("config.csv", text).validate(false);
    }
}
