package io.generalbots.cli;

import java.nio.file.Path;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigException;
import io.generalbots.scaling.config.ConfigProblem;
import io.generalbots.scaling.config.ConfigReport;
import picocli.CommandLine.Model.CommandSpec;

/** Loading a config.csv for a subcommand, with its problems printed to stderr. */
final class Configs {

    private Configs() {
    }

    /**
     * Loads and validates a file; prints every problem to stderr as {@code FILE:LINE: message}.
     *
     * @param file   the file
     * @param spec   the command, for its error stream
     * @param strict whether unknown keys are errors
     * @return the report, or null if the file cannot be read at all
     */
    static ConfigReport load(Path file, CommandSpec spec, boolean strict) {
        BotConfig config;
        try {
            config = BotConfig.load(file);
        } catch (ConfigException e) {
            CheckCommand.printProblems(spec, e.problems());
            return null;
        }
        ConfigReport report = config.validate(strict);
        CheckCommand.printProblems(spec, report.problems());
        return report;
    }

    /**
     * Loads a file that must be valid, for the subcommands that use a config rather than check it:
     * its errors are printed, its warnings are not (stderr stays for the command's own messages;
     * {@code gb-scale check} shows warnings), and null means exit 2.
     *
     * @param file the file
     * @param spec the command
     * @return the configuration, or null if invalid
     */
    static BotConfig loadValid(Path file, CommandSpec spec) {
        BotConfig config;
        try {
            config = BotConfig.load(file);
        } catch (ConfigException e) {
            CheckCommand.printProblems(spec, e.problems());
            return null;
        }
        ConfigReport report = config.validate(false);
        if (report.hasErrors()) {
            CheckCommand.printProblems(spec, report.problems().stream().filter(ConfigProblem::isError).toList());
            return null;
        }
        return config;
    }
}
