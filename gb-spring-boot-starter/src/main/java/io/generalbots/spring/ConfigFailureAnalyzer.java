package io.generalbots.spring;

import java.util.stream.Collectors;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import io.generalbots.scaling.config.ConfigException;
import io.generalbots.scaling.config.ConfigProblem;

/**
 * Turns an invalid bot configuration into a clear startup failure: every problem of the file, one per
 * line, as {@code FILE:LINE: message} (or {@code gb.scaling.keys.KEY: message} for a setting given
 * as a Spring property without a file line), instead of a bean-creation stack trace.
 */
public class ConfigFailureAnalyzer extends AbstractFailureAnalyzer<ConfigException> {

    /** Creates the analyzer (Spring Boot instantiates it from {@code spring.factories}). */
    public ConfigFailureAnalyzer() {
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ConfigException cause) {
        return new FailureAnalysis(describe(cause),
                "Correct the settings above in the bot's config.csv (gb.scaling.config) or in the gb.scaling.keys.*"
                        + " properties; an unset key takes its default.", cause);
    }

    /**
     * The description: a heading and every problem on its own line.
     *
     * @param cause the exception
     * @return the text
     */
    static String describe(ConfigException cause) {
        return "The bot's gb-scaling configuration is invalid:\n\n" + cause.problems().stream()
                .map(ConfigFailureAnalyzer::line).collect(Collectors.joining("\n"));
    }

    private static String line(ConfigProblem p) {
        if (BotConfigs.PROPERTIES_SOURCE.equals(p.source()) && p.line() == 0 && p.key() != null) {
            return "gb.scaling.keys." + p.key() + ": " + (p.isError() ? "" : "warning: ") + p.message();
        }
        return p.toString();
    }
}
