package io.generalbots.examples;

import java.util.Map;

import io.generalbots.autoscale.serving.BotInstanceMetrics;
import io.generalbots.autoscale.serving.LoadSnapshot;

/**
 * The instance side of auto-scaling in the demo ({@code BotInstance}, linked in by
 * {@link DemoBotServer}): the tour shows the load figures the scaler reads from the health report,
 * the control endpoint's state, and that a caller coming through a proxy is refused the drain.
 */
final class InstanceFeature implements DemoFeature {

    private DemoContext demo;

    @Override
    public String name() {
        return "instance side (metering, drain)";
    }

    @Override
    public void install(DemoContext context) {
        this.demo = context;
        BotInstanceMetrics.of(context.instance()).bindTo(context.meters());
    }

    @Override
    public void tour(DemoTour tour) throws Exception {
        tour.say("instance side: what the scaler reads from this instance, and how it drains it");
        LoadSnapshot load = demo.instance().load();
        tour.say(String.format(java.util.Locale.ROOT,
                "  served in the last minute: %d requests/min, average %.1f ms, p95 %.1f ms, %d in flight",
                load.requestsPerMinute(), load.averageMillis(), load.p95Millis(), load.inFlight()));
        tour.show("GET", "/api/instance/drain", tour.get("/api/instance/drain", Map.of()));
        tour.say("  a drain request that came through a proxy (X-Forwarded-For) is refused:");
        tour.show("POST", "/api/instance/drain",
                tour.post("/api/instance/drain", "", Map.of("X-Forwarded-For", "203.0.113.9")));
        tour.say("  (the scaler drains with POST /api/instance/drain from loopback or with scale-control-token;"
                + " then /api/health turns \"draining\" with 503 and new requests get 503 with Retry-After)");
    }
}
