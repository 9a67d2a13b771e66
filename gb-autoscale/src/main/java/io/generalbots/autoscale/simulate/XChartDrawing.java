package io.generalbots.autoscale.simulate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.IntStream;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

/** The XChart drawing of {@link SimulationChart}, loaded only once XChart is known to be there. */
final class XChartDrawing {

    private XChartDrawing() {
    }

    static void write(SimulationResult result, String title, Path file) throws IOException {
        int n = result.load().length;
        double[] minutes = IntStream.range(0, n).asDoubleStream().toArray();
        double[] load = new double[n];
        double[] instances = new double[n];
        for (int i = 0; i < n; i++) {
            load[i] = result.load()[i] / 100;
            instances[i] = result.instances()[i];
        }
        XYChart chart = new XYChartBuilder().width(1000).height(500).title(title).xAxisTitle("minute")
                .yAxisTitle("value").build();
        chart.getStyler().setMarkerSize(0);
        chart.addSeries("load (requests/min / 100)", minutes, load).setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chart.addSeries("instances", minutes, instances).setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        chart.addSeries("cpu %", minutes, result.cpu()).setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        String name = file.toString();
        String base = name.toLowerCase(java.util.Locale.ROOT).endsWith(".png") ? name.substring(0, name.length() - 4) : name;
        BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
    }
}
