package io.generalbots.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.sharding.ShardRouter;
import io.generalbots.sharding.ShardRoutingException;
import io.generalbots.sharding.ShardSettings;
import io.generalbots.sharding.ShardStrategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gb-scale route CONFIG KEY...}: one line {@code KEY<TAB>TARGET} per key, where TARGET is
 * the shard name, the host (geo) or the database (tenant). A key that cannot be routed gets a
 * message on stderr naming it; the other keys are still printed and the exit code is 1.
 */
@Command(name = "route", mixinStandardHelpOptions = true,
        description = "Print KEY<TAB>TARGET for each KEY as CONFIG's shard-* settings route it.")
final class RouteCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "the bot's config.csv")
    Path config;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "KEY", description = "keys to route")
    List<String> keys;

    @Override
    public Integer call() {
        ShardRouter router = RouteCommand.router(config, spec);
        if (router == null) {
            return GbScale.BAD_INPUT;
        }
        int code = GbScale.OK;
        for (String key : keys) {
            try {
                String target = router.route(key);
                spec.commandLine().getOut().println(key + "\t" + target);
            } catch (ShardRoutingException e) {
                spec.commandLine().getErr().println("gb-scale route: " + e.getMessage());
                code = GbScale.NOT_SERVED;
            }
        }
        return code;
    }

    /** The router of a valid file with a strategy, or null after printing why not. */
    static ShardRouter router(Path file, CommandSpec spec) {
        BotConfig config = Configs.loadValid(file, spec);
        if (config == null) {
            return null;
        }
        ShardSettings settings = ShardSettings.from(config);
        if (settings.strategy() == ShardStrategy.NONE) {
            spec.commandLine().getErr().println(file + ": shard-strategy is not set; it must be one of tenant, hash, "
                    + "range, geo");
            return null;
        }
        return ShardRouter.of(settings);
    }
}
