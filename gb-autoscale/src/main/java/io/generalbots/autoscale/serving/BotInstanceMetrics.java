package io.generalbots.autoscale.serving;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer meters of a {@link BotInstance}, the instance side of auto-scaling; the only class of
 * the package that touches Micrometer (an optional dependency). Every meter is tagged
 * {@code gb.instance} (Prometheus: {@code gb_instance}) with the instance's name; Prometheus's own
 * {@code instance} label tells the processes apart.
 *
 * <pre>{@code BotInstanceMetrics.of(instance).bindTo(meterRegistry);}</pre>
 *
 * <ul>
 *   <li>{@value #REQUESTS} (timer, seconds, tag {@code outcome} = {@code success} or {@code error}:
 *       a 5xx or no status): every metered request from admission to its end — its count is the
 *       request rate ({@code rate(gb_instance_requests_seconds_count[1m])}), its sum over the count the
 *       average response time; buckets only with {@link #serviceLevelObjectives} (e.g. at
 *       {@code scale-rule-response-time}) or {@link #percentileHistogram(boolean)};</li>
 *   <li>{@value #IN_FLIGHT} (gauge): requests admitted and not ended;</li>
 *   <li>{@value #QUEUE} (gauge): the host's queue depth, when it supplies one;</li>
 *   <li>{@value #STATE} (gauge, tag {@code state} = {@code serving}, {@code draining},
 *       {@code drained}): 1 for the current drain state;</li>
 *   <li>{@value #DRAIN} (timer, seconds): how long drains took, from the drain to the last request;</li>
 *   <li>{@value #REFUSED} (counter): control requests refused (no token, or not from loopback).</li>
 * </ul>
 * Recording adds an array read and a timer update to a request; nothing is allocated.
 */
public final class BotInstanceMetrics implements MeterBinder {

    /** Requests timer. */
    public static final String REQUESTS = "gb.instance.requests";
    /** Requests in flight. */
    public static final String IN_FLIGHT = "gb.instance.requests.in.flight";
    /** The host's queue depth. */
    public static final String QUEUE = "gb.instance.queue.depth";
    /** Drain state gauges. */
    public static final String STATE = "gb.instance.state";
    /** Drain duration timer. */
    public static final String DRAIN = "gb.instance.drain";
    /** Refused control requests. */
    public static final String REFUSED = "gb.instance.control.refused";

    private final BotInstance instance;
    private boolean percentileHistogram;
    private Duration[] slos = new Duration[0];

    private BotInstanceMetrics(BotInstance instance) {
        this.instance = Objects.requireNonNull(instance, "instance");
    }

    /**
     * Meters for an instance.
     *
     * @param instance the instance
     * @return the binder
     */
    public static BotInstanceMetrics of(BotInstance instance) {
        return new BotInstanceMetrics(instance);
    }

    /**
     * Histogram buckets of the request timer at these durations, e.g. the response-time SLO
     * ({@code scale-rule-response-time}); default none.
     *
     * @param durations the bucket bounds
     * @return this
     */
    public BotInstanceMetrics serviceLevelObjectives(Duration... durations) {
        this.slos = durations.clone();
        return this;
    }

    /**
     * Whether the request timer publishes a full percentile histogram (about 70 series per
     * outcome in Prometheus); default false.
     *
     * @param enabled whether to publish it
     * @return this
     */
    public BotInstanceMetrics percentileHistogram(boolean enabled) {
        this.percentileHistogram = enabled;
        return this;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        String name = instance.name();
        Timer success = requests(registry, name, "success");
        Timer error = requests(registry, name, "error");
        instance.addRecorder((nanos, status) ->
                (status >= 500 || status < 100 ? error : success).record(nanos, TimeUnit.NANOSECONDS));
        Gauge.builder(IN_FLIGHT, instance, BotInstance::inFlight).tag("gb.instance", name)
                .description("Requests admitted and not ended").register(registry);
        if (instance.config().queueDepth().isPresent()) {
            Gauge.builder(QUEUE, instance, BotInstance::currentQueueDepth).tag("gb.instance", name)
                    .description("Requests (or jobs) waiting, as the host reports them").register(registry);
        }
        for (DrainState s : DrainState.values()) {
            Gauge.builder(STATE, instance, i -> i.state() == s ? 1 : 0).tag("gb.instance", name).tag("state", s.word())
                    .description("1 for the instance's current drain state").register(registry);
        }
        Timer drain = Timer.builder(DRAIN).tag("gb.instance", name)
                .description("From the drain to the last request in flight").register(registry);
        Counter refused = Counter.builder(REFUSED).tag("gb.instance", name)
                .description("Control requests refused (no token, or not from loopback)").register(registry);
        instance.addListener(event -> {
            if (event instanceof InstanceEvent.Drained d) {
                drain.record(d.took());
            } else if (event instanceof InstanceEvent.ControlRefused) {
                refused.increment();
            }
        });
    }

    private Timer requests(MeterRegistry registry, String name, String outcome) {
        return Timer.builder(REQUESTS).tag("gb.instance", name).tag("outcome", outcome)
                .description("Requests the instance served, from admission to the end")
                .serviceLevelObjectives(slos).publishPercentileHistogram(percentileHistogram).register(registry);
    }
}
