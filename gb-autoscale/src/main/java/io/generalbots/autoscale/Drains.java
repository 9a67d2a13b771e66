package io.generalbots.autoscale;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.generalbots.autoscale.instance.Instance;
import io.generalbots.autoscale.instance.InstanceException;
import io.generalbots.autoscale.instance.InstanceManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scale-down bookkeeping: which instances to remove, telling them to drain, and destroying
 * each once it reports drained or its drain deadline ({@code scale-drain-seconds}) has passed.
 * Failures of the instance manager are handed to the scaler (which logs them and publishes
 * {@link ScalingEvent.ScalingFailed}); a failed destroy is tried again at the next check.
 *
 * <p>Not thread-safe: the scaler calls it under its lock.
 */
final class Drains {

    private static final Logger LOG = LoggerFactory.getLogger(AutoScaler.class);

    /** Where a failed instance call goes. */
    @FunctionalInterface
    interface Failures {
        /**
         * One failed call.
         *
         * @param operation what failed ({@code drain}, {@code destroy})
         * @param instance  the instance's id
         * @param e         the failure
         */
        void failed(String operation, String instance, RuntimeException e);
    }

    private record Draining(Instance instance, long deadline) {
    }

    private final String name;
    private final InstanceManager manager;
    private final Failures failures;
    private final Map<String, Draining> draining = new LinkedHashMap<>();

    /**
     * @param name     the scaler's name, for log lines
     * @param manager  the instance manager
     * @param failures where failed calls go
     */
    Drains(String name, InstanceManager manager, Failures failures) {
        this.name = name;
        this.manager = manager;
        this.failures = failures;
    }

    /**
     * The instances to remove to go down by {@code count}: those not ready first, then the newest.
     *
     * @param counted the instances not draining
     * @param metrics their metrics, by id
     * @param count   how many to remove
     * @return the victims, in the order they are removed
     */
    static List<Instance> victims(List<Instance> counted, Map<String, InstanceMetrics> metrics, int count) {
        List<Instance> order = new ArrayList<>(counted);
        order.sort(Comparator.<Instance, Boolean>comparing(i -> {
            InstanceMetrics m = metrics.get(i.id());
            return m != null && m.ready();
        }).thenComparing(Comparator.comparingLong(Instance::launched).reversed()));
        return List.copyOf(order.subList(0, count));
    }

    /**
     * Whether an instance is draining.
     *
     * @param id the instance's id
     * @return true while it drains
     */
    boolean contains(String id) {
        return draining.containsKey(id);
    }

    /**
     * Ids of the instances draining now.
     *
     * @return a copy
     */
    Set<String> ids() {
        return new HashSet<>(draining.keySet());
    }

    /**
     * Tells each victim to drain (a failure is reported and the instance is still counted as
     * draining: it is destroyed at its deadline).
     *
     * @param victims  the instances to remove
     * @param deadline the ticker's reading by which they are destroyed, drained or not
     */
    void begin(List<Instance> victims, long deadline) {
        for (Instance v : victims) {
            try {
                manager.drain(v);
            } catch (InstanceException e) {
                failures.failed("drain", v.id(), e);
            }
            draining.put(v.id(), new Draining(v, deadline));
        }
    }

    /**
     * Destroys those of the given instances that are draining and done (an instance with no
     * request in flight is drained at once).
     *
     * @param instances the instances
     * @param now       the ticker's reading
     */
    void finish(List<Instance> instances, long now) {
        for (Instance v : instances) {
            Draining d = draining.get(v.id());
            if (d != null) {
                finish(d, now);
            }
        }
    }

    /**
     * Forgets draining instances that are gone, and destroys those that are done.
     *
     * @param all every instance the manager lists now
     * @param now the ticker's reading
     * @return the ids destroyed by this call
     */
    Set<String> finishAll(List<Instance> all, long now) {
        Set<String> destroyed = new HashSet<>();
        Set<String> present = new HashSet<>();
        for (Instance i : all) {
            present.add(i.id());
        }
        draining.values().removeIf(d -> !present.contains(d.instance().id()));
        for (Draining d : new ArrayList<>(draining.values())) {
            if (finish(d, now)) {
                destroyed.add(d.instance().id());
            }
        }
        return destroyed;
    }

    /** Destroys a draining instance if it is drained or its deadline passed; true if destroyed. */
    private boolean finish(Draining d, long now) {
        boolean drained;
        try {
            drained = manager.isDrained(d.instance());
        } catch (InstanceException e) {
            drained = false;
        }
        if (!drained && now - d.deadline() < 0) {
            return false;
        }
        try {
            manager.destroy(d.instance());
            draining.remove(d.instance().id());
            LOG.info("scaler {}: destroyed {} ({})", name, d.instance().id(),
                    drained ? "drained" : "drain deadline passed");
            return true;
        } catch (InstanceException e) {
            failures.failed("destroy", d.instance().id(), e);
            return false;
        }
    }
}
