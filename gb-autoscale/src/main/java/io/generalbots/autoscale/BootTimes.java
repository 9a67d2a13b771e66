package io.generalbots.autoscale;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.generalbots.autoscale.instance.Instance;

/**
 * Learns how long instances take from launch to their first ready report: the forecast looks that
 * far (plus one check) ahead. Until one boot is observed it assumes {@link #DEFAULT_BOOT_NANOS}.
 *
 * <p>Not thread-safe: the scaler calls it under its lock.
 */
final class BootTimes {

    /** The boot time assumed until one is observed: 60 s. */
    static final long DEFAULT_BOOT_NANOS = 60_000_000_000L;

    private final Map<String, Long> booting = new HashMap<>();
    private long bootNanos = DEFAULT_BOOT_NANOS;

    /**
     * An instance was launched now.
     *
     * @param id  its id
     * @param now the ticker's reading
     */
    void launched(String id, long now) {
        booting.put(id, now);
    }

    /**
     * Takes the boot time of every launched instance that reports ready for the first time, and
     * forgets launched instances that are gone.
     *
     * @param counted the instances not draining
     * @param metrics their metrics, by id
     * @param now     the ticker's reading
     */
    void observe(List<Instance> counted, Map<String, InstanceMetrics> metrics, long now) {
        for (Instance i : counted) {
            Long launchedAt = booting.get(i.id());
            if (launchedAt != null) {
                InstanceMetrics m = metrics.get(i.id());
                if (m != null && m.ready()) {
                    bootNanos = now - launchedAt;
                    booting.remove(i.id());
                }
            }
        }
        Set<String> present = counted.stream().map(Instance::id).collect(Collectors.toSet());
        booting.keySet().retainAll(present);
    }

    /**
     * The last observed boot time, or {@link #DEFAULT_BOOT_NANOS}.
     *
     * @return nanoseconds
     */
    long bootNanos() {
        return bootNanos;
    }

    /**
     * How many launched instances have not reported ready yet.
     *
     * @return the count
     */
    int booting() {
        return booting.size();
    }
}
