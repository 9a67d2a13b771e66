package io.generalbots.autoscale.simulate;

import java.io.IOException;
import java.nio.file.Path;

import io.generalbots.scaling.OptionalDependency;

/**
 * Draws a run as a PNG: load (requests/min ÷ 100), instances and average CPU % over the minutes.
 * Needs XChart ({@code org.knowm.xchart:xchart}) on the class path; nothing else loads it.
 */
public final class SimulationChart {

    private SimulationChart() {
    }

    /**
     * Writes the chart.
     *
     * @param result the run
     * @param title  the chart's title
     * @param file   the PNG file
     * @throws IOException if it cannot be written
     * @throws IllegalStateException if XChart is not on the class path, naming the artifact to add
     */
    public static void write(SimulationResult result, String title, Path file) throws IOException {
        OptionalDependency.XCHART.require("gb-scale simulate --chart (SimulationChart)");
        // drawn by another class: loading this one must not need XChart, or the message above could not be given
        XChartDrawing.write(result, title, file);
    }
}
