package io.generalbots.autoscale;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import io.generalbots.autoscale.MetricsSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

/**
 * The scaler's Micrometer meters, switched by the {@code metrics-*} keys; a
 * {@link ScalingListener} to add to the scaler. This is the only class that touches Micrometer,
 * so the engine runs without it on the class path.
 *
 * <ul>
 *   <li>{@code gb.scaling.instances} (gauge, {@code metrics-container-count}): instances not
 *       draining, and {@code gb.scaling.max.instances}</li>
 *   <li>{@code gb.scaling.events} (counter, tag {@code direction=up|down|max}) and
 *       {@code gb.scaling.errors} (counter, tag {@code operation}) ({@code metrics-scaling-events})</li>
 *   <li>{@code gb.scaling.instance.cpu} and {@code gb.scaling.instance.requests} (gauges per
 *       {@code instance}, {@code metrics-load-distribution})</li>
 * </ul>
 * Every meter carries the tag {@code scaler}.
 */
public final class ScalingMetrics implements ScalingListener {

    private final MeterRegistry registry;
    private final MetricsSettings settings;
    private final String scaler;
    private final AtomicInteger instances = new AtomicInteger();
    private final MultiGauge cpu;
    private final MultiGauge requests;

    /**
     * Binds the meters.
     *
     * @param registry the registry
     * @param settings which meters ({@code metrics-*})
     * @param scaler   the scaler's name
     * @param max      {@code scale-max-instances}
     */
    public ScalingMetrics(MeterRegistry registry, MetricsSettings settings, String scaler, int max) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.scaler = Objects.requireNonNull(scaler, "scaler");
        if (settings.containerCount()) {
            Gauge.builder("gb.scaling.instances", instances, AtomicInteger::get).tag("scaler", scaler)
                    .description("instances not draining").register(registry);
            Gauge.builder("gb.scaling.max.instances", () -> max).tag("scaler", scaler)
                    .description("scale-max-instances").register(registry);
        }
        this.cpu = settings.loadDistribution() ? MultiGauge.builder("gb.scaling.instance.cpu").tag("scaler", scaler)
                .baseUnit("percent").register(registry) : null;
        this.requests = settings.loadDistribution() ? MultiGauge.builder("gb.scaling.instance.requests")
                .tag("scaler", scaler).baseUnit("requests per minute").register(registry) : null;
    }

    @Override
    public void onEvent(ScalingEvent event) {
        if (!settings.scalingEvents()) {
            return;
        }
        if (event instanceof ScalingEvent.ScaledUp) {
            counter("gb.scaling.events", "direction", "up").increment();
        } else if (event instanceof ScalingEvent.ScaledDown) {
            counter("gb.scaling.events", "direction", "down").increment();
        } else if (event instanceof ScalingEvent.MaxInstancesReached) {
            counter("gb.scaling.events", "direction", "max").increment();
        } else if (event instanceof ScalingEvent.ScalingFailed f) {
            counter("gb.scaling.errors", "operation", f.operation()).increment();
        }
    }

    @Override
    public void onCheck(int count, Map<String, InstanceMetrics> metrics) {
        instances.set(count);
        if (cpu != null) {
            List<MultiGauge.Row<?>> cpuRows = new ArrayList<>();
            List<MultiGauge.Row<?>> rpmRows = new ArrayList<>();
            metrics.forEach((id, m) -> {
                if (InstanceMetrics.known(m.cpuPercent())) {
                    cpuRows.add(MultiGauge.Row.of(Tags.of("instance", id), m.cpuPercent()));
                }
                if (InstanceMetrics.known(m.requestsPerMinute())) {
                    rpmRows.add(MultiGauge.Row.of(Tags.of("instance", id), m.requestsPerMinute()));
                }
            });
            cpu.register(cpuRows, true);
            requests.register(rpmRows, true);
        }
    }

    private Counter counter(String name, String tag, String value) {
        return Counter.builder(name).tag("scaler", scaler).tag(tag, value).register(registry);
    }
}
