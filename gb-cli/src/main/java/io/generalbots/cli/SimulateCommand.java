package io.generalbots.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.generalbots.autoscale.ScalingSettings;
import io.generalbots.scaling.config.BotConfig;
import io.generalbots.autoscale.simulate.CapacityModel;
import io.generalbots.autoscale.simulate.LoadTrace;
import io.generalbots.autoscale.simulate.Policy;
import io.generalbots.autoscale.simulate.SimulationChart;
import io.generalbots.autoscale.simulate.SimulationResult;
import io.generalbots.autoscale.simulate.Simulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gb-scale simulate CONFIG TRACE [--policy gb|seed-script|hpa|oracle] [--capacity-rpm N]
 * [--boot-seconds S] [--chart FILE.png]}: replays a load trace through a scaling policy and prints
 * exactly four lines, {@code instance-minutes: X}, {@code violation-minutes: X},
 * {@code scaling-events: X}, {@code peak-instances: X}. Exit 2 for a bad config, trace or usage.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Replay a load trace (CSV minute,requests_per_min) through a scaling policy.")
final class SimulateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "the bot's config.csv (its scale-* keys)")
    Path config;

    @Parameters(index = "1", paramLabel = "TRACE", description = "CSV with header minute,requests_per_min")
    Path trace;

    @Option(names = "--policy", paramLabel = "gb|seed-script|hpa|oracle", defaultValue = "gb",
            description = "gb (this engine, default), seed-script (the seed's bash loop), hpa (Kubernetes HPA) "
                    + "or oracle (the floor: perfect foresight of the trace, same capacity model, boot time and "
                    + "min/max)")
    String policy;

    @Option(names = "--capacity-rpm", paramLabel = "N", defaultValue = "600",
            description = "requests/min one instance serves at 100 %% CPU (default 600)")
    double capacityRpm;

    @Option(names = "--boot-seconds", paramLabel = "S", defaultValue = "60",
            description = "seconds a new instance takes to become ready (default 60)")
    int bootSeconds;

    @Option(names = "--chart", paramLabel = "FILE.png", description = "also draw load, instances and CPU")
    Path chart;

    @Override
    public Integer call() {
        if (System.getProperty("org.slf4j.simpleLogger.log.io.generalbots.autoscale") == null) {
            // the engine logs every decision at INFO: thousands of lines on a day's trace
            System.setProperty("org.slf4j.simpleLogger.log.io.generalbots.autoscale", "error");
        }
        Policy p;
        CapacityModel model;
        try {
            p = Policy.of(policy);
            model = CapacityModel.of(capacityRpm, bootSeconds);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("gb-scale: " + e.getMessage());
            return GbScale.BAD_INPUT;
        }
        BotConfig cfg = Configs.loadValid(config, spec);
        if (cfg == null) {
            return GbScale.BAD_INPUT;
        }
        LoadTrace load;
        try {
            load = LoadTrace.load(trace);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return GbScale.BAD_INPUT;
        }
        SimulationResult result = Simulator.run(ScalingSettings.from(cfg), load, model, p);
        spec.commandLine().getOut().print(result.summary());
        spec.commandLine().getOut().flush();
        if (chart != null) {
            try {
                SimulationChart.write(result, load.source() + " - " + p.id(), chart);
            } catch (IOException | RuntimeException e) {
                spec.commandLine().getErr().println("gb-scale: cannot write the chart " + chart + ": " + e.getMessage());
                return GbScale.NOT_SERVED;
            }
        }
        return GbScale.OK;
    }
}
