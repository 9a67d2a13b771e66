package io.generalbots.examples;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * {@code /metrics}: every meter of the demo in the Prometheus text format (Micrometer's Prometheus
 * registry), for a Prometheus to scrape with the shipped {@code monitoring/alerting-rules.yml} and
 * {@code monitoring/grafana-dashboard.json}. Each feature binds its own components' meters (one
 * {@code MeterBinder} per component, see METRICS.md); this one adds the JVM's.
 */
final class MetricsFeature implements DemoFeature {

    /** The path Prometheus scrapes. */
    static final String PATH = "/metrics";
    /** Prometheus text exposition format 0.0.4. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    @Override
    public String name() {
        return "metrics";
    }

    @Override
    public void install(DemoContext demo) {
        new JvmMemoryMetrics().bindTo(demo.meters());
        new JvmThreadMetrics().bindTo(demo.meters());
        new ProcessorMetrics().bindTo(demo.meters());
        new UptimeMetrics().bindTo(demo.meters());
        demo.route(PATH, exchange -> {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                DemoHttp.send(exchange, 405, "text/plain; charset=utf-8", "GET or HEAD\n");
                return;
            }
            DemoHttp.send(exchange, 200, CONTENT_TYPE, demo.meters().scrape());
        });
    }

    @Override
    public void tour(DemoTour tour) throws Exception {
        tour.say("metrics: Prometheus scrapes " + PATH + " (point it there with monitoring/prometheus.yml); a few lines:");
        String body = tour.get(PATH, Map.of()).body();
        body.lines().filter(l -> l.startsWith("resilience4j_circuitbreaker_state{name=\"llm\",state=\"open\"}")
                        || l.startsWith("gb_health_status{") || l.startsWith("gb_ratelimit_decisions_total{")
                        && l.contains("outcome=\"denied\"") && l.contains("policy=\"auth\""))
                .forEach(l -> tour.say("  " + l));
        tour.say("  (" + body.getBytes(StandardCharsets.UTF_8).length + " bytes; the full list is METRICS.md)");
    }
}
