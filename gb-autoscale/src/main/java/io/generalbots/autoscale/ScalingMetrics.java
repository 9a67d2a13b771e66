package io.generalbots.autoscale;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The scaler's Micrometer meters, switched by the {@code metrics-*} keys. This is the only class
 * of the engine that touches Micrometer, so the engine runs without it on the class path. Every
 * meter carries the tag {@code scaler} (the scaler's name).
 *
 * <pre>{@code
 * ScalingMetrics.of(scaler).settings(MetricsSettings.from(config)).bindTo(meterRegistry);
 * }</pre>
 *
 * <ul>
 *   <li>{@code metrics-container-count}: {@value #INSTANCES} (gauge: instances not draining,
 *       starting or ready, after the last check and what it did), {@value #MAX_INSTANCES} and {@value #MIN_INSTANCES}
 *       (gauges: {@code scale-max-instances}, {@code scale-min-instances});</li>
 *   <li>{@code metrics-scaling-events}: {@value #EVENTS} (counter, tag {@code type}:
 *       {@code scaled_up}, {@code scaled_down}, {@code max_instances_reached}) and {@value #ERRORS}
 *       (counter, tag {@code operation}: {@code launch}, {@code drain}, {@code destroy},
 *       {@code list}, {@code update upstreams}), all registered at 0 so that {@code increase()}
 *       sees the first one;</li>
 *   <li>{@code metrics-load-distribution}: per instance (tag {@code gb.instance}, the instance id;
 *       not {@code instance}, which Prometheus sets to the scraped target), what the scaler read at
 *       its last check: {@value #CPU} and {@value #MEMORY} (0..1 of the instance's limit),
 *       {@value #REQUESTS} (requests per second), {@value #RESPONSE_TIME} (seconds) and
 *       {@value #QUEUE} (requests waiting). Rows of instances that are gone are removed: the number
 *       of series is at most {@code scale-max-instances} per gauge.</li>
 * </ul>
 * With {@code metrics-scaling-enabled,false} nothing is registered.
 */
public final class ScalingMetrics implements MeterBinder {

    /** Instances not draining. */
    public static final String INSTANCES = "gb.scaling.instances";
    /** {@code scale-max-instances}. */
    public static final String MAX_INSTANCES = "gb.scaling.max.instances";
    /** {@code scale-min-instances}. */
    public static final String MIN_INSTANCES = "gb.scaling.min.instances";
    /** Scaling events. */
    public static final String EVENTS = "gb.scaling.events";
    /** Failed instance operations. */
    public static final String ERRORS = "gb.scaling.errors";
    /** Per-instance CPU use, 0..1. */
    public static final String CPU = "gb.scaling.instance.cpu.usage";
    /** Per-instance memory use, 0..1. */
    public static final String MEMORY = "gb.scaling.instance.memory.usage";
    /** Per-instance requests per second. */
    public static final String REQUESTS = "gb.scaling.instance.requests.per.second";
    /** Per-instance average response time, seconds. */
    public static final String RESPONSE_TIME = "gb.scaling.instance.response.time";
    /** Per-instance queue depth. */
    public static final String QUEUE = "gb.scaling.instance.queue.depth";
    /** The per-instance tag (Prometheus: {@code gb_instance}). */
    public static final String INSTANCE_TAG = "gb.instance";

    private static final List<String> OPERATIONS = List.of("launch", "drain", "destroy", "list", "update upstreams");

    private final AutoScaler scaler;
    private MetricsSettings settings = new MetricsSettings(true, true, true, true);

    private ScalingMetrics(AutoScaler scaler) {
        this.scaler = Objects.requireNonNull(scaler, "scaler");
    }

    /**
     * Meters for a scaler, all of them unless {@link #settings} switches some off.
     *
     * @param scaler the scaler
     * @return the binder
     */
    public static ScalingMetrics of(AutoScaler scaler) {
        return new ScalingMetrics(scaler);
    }

    /**
     * Which meters to register ({@code metrics-*} of {@code config.csv}; default all).
     *
     * @param settings the settings
     * @return this
     */
    public ScalingMetrics settings(MetricsSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        return this;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        scaler.addListener(new Binding(registry, settings, scaler.name(), scaler.settings()));
    }

    /** The meters of one registry; a listener of the scaler. */
    private static final class Binding implements ScalingListener {
        private final MetricsSettings settings;
        private final AtomicInteger instances = new AtomicInteger();
        private final Counter up;
        private final Counter down;
        private final Counter max;
        private final Map<String, Counter> errors = new java.util.HashMap<>();
        private final List<Load> loads = new ArrayList<>();
        private final MeterRegistry registry;
        private final String scaler;

        Binding(MeterRegistry registry, MetricsSettings settings, String scaler, ScalingSettings scaling) {
            this.registry = registry;
            this.settings = settings;
            this.scaler = scaler;
            if (settings.containerCount()) {
                Gauge.builder(INSTANCES, instances, AtomicInteger::get).tag("scaler", scaler)
                        .description("Instances not draining (starting or ready) after the last check").register(registry);
                Gauge.builder(MAX_INSTANCES, scaling::maxInstances).tag("scaler", scaler)
                        .description("scale-max-instances").register(registry);
                Gauge.builder(MIN_INSTANCES, scaling::minInstances).tag("scaler", scaler)
                        .description("scale-min-instances").register(registry);
            }
            boolean events = settings.scalingEvents();
            this.up = events ? event("scaled_up") : null;
            this.down = events ? event("scaled_down") : null;
            this.max = events ? event("max_instances_reached") : null;
            if (events) {
                for (String op : OPERATIONS) {
                    errors.put(op, error(op));
                }
            }
            if (settings.loadDistribution()) {
                loads.add(new Load(CPU, null, "CPU use of the instance, 0..1 of its limit",
                        m -> m.cpuPercent() / 100));
                loads.add(new Load(MEMORY, null, "Memory use of the instance, 0..1 of its limit",
                        m -> m.memoryPercent() / 100));
                loads.add(new Load(REQUESTS, null, "Requests per second the instance served",
                        m -> m.requestsPerMinute() / 60));
                loads.add(new Load(RESPONSE_TIME, "seconds", "Average response time of the instance",
                        m -> m.responseTimeMillis() / 1000));
                loads.add(new Load(QUEUE, null, "Requests waiting at the instance", InstanceMetrics::queueDepth));
            }
        }

        private Counter event(String type) {
            return Counter.builder(EVENTS).tag("scaler", scaler).tag("type", type)
                    .description("Scaling events").register(registry);
        }

        private Counter error(String operation) {
            return Counter.builder(ERRORS).tag("scaler", scaler).tag("operation", operation)
                    .description("Instance operations that failed").register(registry);
        }

        @Override
        public void onEvent(ScalingEvent event) {
            // the count after the action, not the one the check started from
            if (event instanceof ScalingEvent.ScaledUp u) {
                instances.set(u.to());
            } else if (event instanceof ScalingEvent.ScaledDown d) {
                instances.set(d.to());
            }
            if (!settings.scalingEvents()) {
                return;
            }
            if (event instanceof ScalingEvent.ScaledUp) {
                up.increment();
            } else if (event instanceof ScalingEvent.ScaledDown) {
                down.increment();
            } else if (event instanceof ScalingEvent.MaxInstancesReached) {
                max.increment();
            } else if (event instanceof ScalingEvent.ScalingFailed f) {
                errors.computeIfAbsent(f.operation(), this::error).increment();
            }
        }

        @Override
        public void onCheck(int count, Map<String, InstanceMetrics> metrics) {
            instances.set(count);
            for (Load load : loads) {
                load.update(metrics);
            }
        }

        /** One per-instance gauge. */
        private final class Load {
            private final MultiGauge gauge;
            private final ToDoubleFunction<InstanceMetrics> value;

            Load(String name, String unit, String description, ToDoubleFunction<InstanceMetrics> value) {
                this.gauge = MultiGauge.builder(name).tag("scaler", scaler).baseUnit(unit).description(description)
                        .register(registry);
                this.value = value;
            }

            void update(Map<String, InstanceMetrics> metrics) {
                List<MultiGauge.Row<?>> rows = new ArrayList<>();
                metrics.forEach((id, m) -> {
                    double v = value.applyAsDouble(m);
                    if (InstanceMetrics.known(v)) {
                        rows.add(MultiGauge.Row.of(Tags.of(INSTANCE_TAG, id), v));
                    }
                });
                gauge.register(rows, true);
            }
        }
    }
}
