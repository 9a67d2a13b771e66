package io.generalbots.autoscale;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import io.generalbots.scaling.Checks;
import io.generalbots.scaling.Ticker;
import io.generalbots.autoscale.instance.Instance;

/**
 * A metrics source the host application feeds: call {@link #record(String, InstanceMetrics)}
 * whenever an instance reports (e.g. from a shared table or a message bus). A report older than
 * {@code maxAge} counts as missing, so a silent instance never causes a scale-down. Thread-safe.
 */
public final class PushedMetricsSource implements MetricsSource {

    private record Stamped(InstanceMetrics metrics, long at) {
    }

    private final Map<String, Stamped> latest = new ConcurrentHashMap<>();
    private final Ticker ticker;
    private final long maxAgeNanos;

    /**
     * Creates a source.
     *
     * @param maxAge how long a report stays valid (e.g. twice {@code scale-check-interval})
     * @param ticker the time source
     */
    public PushedMetricsSource(Duration maxAge, Ticker ticker) {
        this.maxAgeNanos = Checks.requirePositive("maxAge", maxAge).toNanos();
        this.ticker = Objects.requireNonNull(ticker, "ticker");
    }

    /**
     * Records an instance's latest metrics.
     *
     * @param instanceId the instance's id, as its manager names it
     * @param metrics    the metrics
     */
    public void record(String instanceId, InstanceMetrics metrics) {
        latest.put(Objects.requireNonNull(instanceId, "instanceId"),
                new Stamped(Objects.requireNonNull(metrics, "metrics"), ticker.read()));
    }

    /**
     * Forgets an instance (e.g. after it was destroyed).
     *
     * @param instanceId the instance's id
     */
    public void forget(String instanceId) {
        latest.remove(instanceId);
    }

    @Override
    public Map<String, InstanceMetrics> collect(List<Instance> instances) {
        long now = ticker.read();
        Map<String, InstanceMetrics> out = new HashMap<>();
        for (Instance instance : instances) {
            Stamped s = latest.get(instance.id());
            if (s != null && now - s.at() <= maxAgeNanos) {
                out.put(instance.id(), s.metrics());
            }
        }
        return out;
    }
}
