package io.generalbots.autoscale.serving;

import java.util.Objects;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer meters of a {@link BotInstance}; the only class of the instance side that touches
 * Micrometer (an optional dependency). Every gauge carries the tag {@code instance} and reads
 * {@link BotInstance#load()} when scraped, never on the request path.
 *
 * <ul>
 *   <li>{@code gb.instance.requests} (requests per minute over the meter's window) and
 *       {@code gb.instance.errors} (5xx per minute)</li>
 *   <li>{@code gb.instance.response.time} (milliseconds, tag {@code stat=avg|p95}; NaN while the
 *       window has no request)</li>
 *   <li>{@code gb.instance.inflight}, {@code gb.instance.queue.depth} (NaN without a supplier)</li>
 *   <li>{@code gb.instance.draining}: 1 from the drain on, 0 before</li>
 * </ul>
 *
 * <pre>{@code new BotInstanceMetrics(instance).bindTo(meterRegistry);}</pre>
 */
public final class BotInstanceMetrics implements MeterBinder {

    private final BotInstance instance;

    /**
     * Meters for an instance.
     *
     * @param instance the instance
     */
    public BotInstanceMetrics(BotInstance instance) {
        this.instance = Objects.requireNonNull(instance, "instance");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        gauge(registry, "gb.instance.requests", "requests per minute served", "requests", null,
                b -> b.load().requestsPerMinute());
        gauge(registry, "gb.instance.errors", "requests per minute answered with 5xx", "requests", null,
                b -> b.load().errorsPerMinute());
        gauge(registry, "gb.instance.response.time", "average response time", "milliseconds", "avg",
                b -> b.load().averageMillis());
        gauge(registry, "gb.instance.response.time", "95th-percentile response time", "milliseconds", "p95",
                b -> b.load().p95Millis());
        gauge(registry, "gb.instance.inflight", "requests being served", "requests", null, BotInstance::inFlight);
        gauge(registry, "gb.instance.queue.depth", "requests or jobs waiting", "requests", null,
                b -> b.load().queueDepth());
        gauge(registry, "gb.instance.draining", "1 while the instance drains", null, null,
                b -> b.isDraining() ? 1 : 0);
    }

    private void gauge(MeterRegistry registry, String name, String description, String unit, String stat,
                       ToDoubleFunction<BotInstance> value) {
        Gauge.Builder<BotInstance> b = Gauge.builder(name, instance, value).description(description)
                .tag("instance", instance.name());
        if (unit != null) {
            b.baseUnit(unit);
        }
        if (stat != null) {
            b.tag("stat", stat);
        }
        b.register(registry);
    }
}
