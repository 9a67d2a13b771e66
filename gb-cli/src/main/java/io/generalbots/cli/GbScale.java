package io.generalbots.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code gb-scale}: the command-line face of gb-scaling for operators.
 *
 * <p>Exit codes: {@value #OK} ok, {@value #NOT_SERVED} a request could not be served (e.g. a key
 * outside every range), {@value #BAD_INPUT} bad usage or bad config.
 */
@Command(name = "gb-scale", mixinStandardHelpOptions = true, versionProvider = GbScale.Version.class,
        description = "Check, route, rate-limit, simulate and proxy with a bot's config.csv.",
        subcommands = {CheckCommand.class, RouteCommand.class, RebalanceCommand.class, RateLimitCommand.class, CaddyfileCommand.class, SimulateCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:a request could not be served", "2:bad usage or bad config"})
public final class GbScale implements Runnable {

    /** Exit code: ok. */
    public static final int OK = 0;
    /** Exit code: a request could not be served. */
    public static final int NOT_SERVED = 1;
    /** Exit code: bad usage or bad config. */
    public static final int BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    /**
     * Runs the command.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /**
     * Runs the command with the given output streams (for tests and embedding).
     *
     * @param out  standard output
     * @param err  standard error
     * @param args the arguments
     * @return the exit code
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new GbScale())
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                    commandLine.getErr().println("gb-scale: " + e.getMessage());
                    return e instanceof IllegalArgumentException ? BAD_INPUT : NOT_SERVED;
                });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = GbScale.class.getPackage().getImplementationVersion();
            return new String[] {"gb-scale " + (v == null ? "(development build)" : v)};
        }
    }
}
