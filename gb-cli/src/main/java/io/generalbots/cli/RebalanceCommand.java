package io.generalbots.cli;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.generalbots.sharding.RebalancePlan;
import io.generalbots.sharding.RebalancePlanner;
import io.generalbots.sharding.ShardRouter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gb-scale rebalance OLD NEW [--keys N]}: what changing config OLD into NEW moves. First
 * line {@code moved: F} (fraction of keys, 0..1, at most 6 decimals: exact for ranges and geo,
 * over the integer keys 0..N-1 otherwise), then {@code FROM -> TO: COUNT} lines in natural
 * order of FROM, then TO. A remark about keys left out of the count goes to stderr.
 */
@Command(name = "rebalance", mixinStandardHelpOptions = true,
        description = "Print the fraction of keys that move from OLD's shards to NEW's, and FROM -> TO: COUNT lines.")
final class RebalanceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "OLD", description = "the config.csv in force")
    Path oldConfig;

    @Parameters(index = "1", paramLabel = "NEW", description = "the config.csv to move to")
    Path newConfig;

    @Option(names = "--keys", paramLabel = "N", defaultValue = "100000",
            description = "keys 0..N-1 sampled for hash changes (default ${DEFAULT-VALUE})")
    int keys;

    @Override
    public Integer call() {
        if (keys < 1) {
            throw new ParameterException(spec.commandLine(), "--keys must be at least 1, but was " + keys);
        }
        ShardRouter from = RouteCommand.router(oldConfig, spec);
        ShardRouter to = RouteCommand.router(newConfig, spec);
        if (from == null || to == null) {
            return GbScale.BAD_INPUT;
        }
        RebalancePlan plan = RebalancePlanner.plan(from, to, keys);
        PrintWriter out = spec.commandLine().getOut();
        out.println("moved: " + fraction(plan.movedFraction()));
        for (RebalancePlan.Move move : plan.moves()) {
            out.println(move);
        }
        plan.note().ifPresent(note -> spec.commandLine().getErr().println("gb-scale rebalance: note: " + note));
        return GbScale.OK;
    }

    static String fraction(double f) {
        return BigDecimal.valueOf(f).setScale(6, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}
