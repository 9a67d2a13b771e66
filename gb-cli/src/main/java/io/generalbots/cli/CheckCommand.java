package io.generalbots.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.generalbots.scaling.config.ConfigProblem;
import io.generalbots.scaling.config.ConfigReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code gb-scale check CONFIG}: validates a config.csv and prints every effective setting of ours
 * as {@code key = value  (line N | default)}; problems go to stderr as {@code FILE:LINE: message}.
 * Exit 0 when valid (warnings allowed), 2 when invalid or unreadable.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Validate CONFIG and print every effective setting with where it came from.")
final class CheckCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "the bot's config.csv")
    Path config;

    @Option(names = "--strict", description = "treat unknown keys of ours as errors")
    boolean strict;

    @Override
    public Integer call() {
        ConfigReport report = Configs.load(config, spec, strict);
        if (report == null) {
            return GbScale.BAD_INPUT;
        }
        for (ConfigReport.Setting setting : report.effectiveSettings()) {
            spec.commandLine().getOut().println(setting);
        }
        return report.hasErrors() ? GbScale.BAD_INPUT : GbScale.OK;
    }

    static void printProblems(CommandSpec spec, Iterable<ConfigProblem> problems) {
        for (ConfigProblem problem : problems) {
            spec.commandLine().getErr().println(problem);
        }
    }
}
