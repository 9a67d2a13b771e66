package io.generalbots.autoscale.simulate;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import io.generalbots.scaling.Ticker;
import io.generalbots.autoscale.AutoScaler;
import io.generalbots.autoscale.InstanceMetrics;
import io.generalbots.autoscale.LeaderElection;
import io.generalbots.autoscale.MetricsSource;
import io.generalbots.autoscale.ScalingEvent;
import io.generalbots.autoscale.ScalingRule;
import io.generalbots.autoscale.ScalingSettings;
import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.autoscale.instance.Instance;
import io.generalbots.autoscale.instance.InstanceManager;

/**
 * Replays a {@link LoadTrace} against a {@link CapacityModel} through a {@link Policy}, second by
 * second, and measures the run. The {@code gb} policy is the real {@link AutoScaler} driven by the
 * simulated clock, with the simulated cluster as its {@link InstanceManager} and
 * {@link MetricsSource}.
 *
 * <p>Every run starts with the instances that serve minute 0's load at the CPU threshold (within
 * min..max), all ready, so that no policy starts in violation. Load is constant within a minute.
 * Policies check at second 0 and then every {@code scale-check-interval} (gb), 30 s (seed-script)
 * or 15 s (hpa), seeing the CPU of that second; the oracle replays the schedule {@code Oracle}
 * plans from the whole trace.
 */
public final class Simulator {

    private Simulator() {
    }

    private static final class Node {
        final int id;
        long launched;
        long ready;
        boolean serving = true;
        long destroyAt = Long.MAX_VALUE;

        Node(int id, long launched, long ready) {
            this.id = id;
            this.launched = launched;
            this.ready = ready;
        }

        boolean isReady(long t) {
            return serving && t >= ready;
        }
    }

    private static final class Cluster {
        final CapacityModel model;
        final List<Node> nodes = new ArrayList<>();
        int nextId = 1;
        long now;
        double load;

        Cluster(CapacityModel model) {
            this.model = model;
        }

        Node launch() {
            Node n = new Node(nextId++, now, now + model.bootSeconds());
            nodes.add(n);
            return n;
        }

        int ready() {
            int r = 0;
            for (Node n : nodes) {
                if (n.isReady(now)) {
                    r++;
                }
            }
            return r;
        }
    }

    /**
     * Runs a simulation.
     *
     * @param settings the {@code scale-*} settings (used whatever {@code scale-enabled} says)
     * @param trace    the load
     * @param model    the capacity model
     * @param policy   the policy
     * @return the result
     */
    public static SimulationResult run(ScalingSettings settings, LoadTrace trace, CapacityModel model, Policy policy) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(policy, "policy");
        return run(settings, trace, model, policy, c -> switch (policy) {
            case GB -> new GbStepper(settings, c);
            case SEED_SCRIPT -> new SeedScriptStepper(settings, c);
            case HPA -> new HpaStepper(settings, c);
            case ORACLE -> new ScheduleStepper(c,
                    Oracle.plan(settings, trace, model, initialInstances(settings, trace, model)).lifetimes());
        });
    }

    /**
     * Replays a fixed schedule (the oracle's, or any other a test builds) under the same
     * accounting as every policy.
     *
     * @param settings  the settings (min/max are not enforced: the schedule is taken as it is)
     * @param trace     the load
     * @param model     the capacity model
     * @param lifetimes the initial instances first ({@link #initialInstances} of them, in order),
     *                  then the launches
     * @return the result, labelled {@link Policy#ORACLE}
     */
    static SimulationResult replay(ScalingSettings settings, LoadTrace trace, CapacityModel model,
                                   List<Oracle.Lifetime> lifetimes) {
        return run(settings, trace, model, Policy.ORACLE, c -> new ScheduleStepper(c, lifetimes));
    }

    /**
     * The instances every run starts with, all ready: those that serve minute 0 at the CPU
     * threshold, within min..max.
     *
     * @param settings the settings
     * @param trace    the load
     * @param model    the capacity model
     * @return the count
     */
    static int initialInstances(ScalingSettings settings, LoadTrace trace, CapacityModel model) {
        double firstLoad = trace.requestsPerMinute(0);
        int initial = (int) Math.ceil(firstLoad / (model.capacityRpm() * settings.cpuThreshold() / 100) - 1e-9);
        return Math.max(settings.minInstances(), Math.min(settings.maxInstances(), initial));
    }

    /**
     * Whether a minute is a violation minute: its average CPU % over {@code scale-cpu-threshold},
     * or its average response time over {@code scale-rule-response-time} (when that rule is set).
     * The one judgement every policy, and the oracle's targets, are measured by.
     *
     * @param settings the settings
     * @param model    the capacity model
     * @param load     the minute's requests/min
     * @param ready    the ready instances in each of its 60 seconds
     * @return whether it is violated
     */
    static boolean violated(ScalingSettings settings, CapacityModel model, double load, int[] ready) {
        double[] avg = averages(model, load, ready);
        return violated(settings, avg[0], avg[1]);
    }

    private static boolean violated(ScalingSettings settings, double cpu, double responseMillis) {
        ScalingRule rtRule = settings.rule(ScalingRule.Metric.RESPONSE_TIME);
        return cpu > settings.cpuThreshold() || (rtRule != null && responseMillis > rtRule.threshold());
    }

    /** Average CPU % and response time of a minute, summed second by second in order. */
    private static double[] averages(CapacityModel model, double load, int[] ready) {
        double cpuSum = 0;
        double rtSum = 0;
        for (int s = 0; s < 60; s++) {
            cpuSum += model.cpuPercent(load, ready[s]);
            rtSum += model.responseMillis(load, ready[s]);
        }
        return new double[] {cpuSum / 60, rtSum / 60};
    }

    private static SimulationResult run(ScalingSettings settings, LoadTrace trace, CapacityModel model,
                                        Policy policy, Function<Cluster, Stepper> policyStepper) {
        Cluster c = new Cluster(model);
        int initial = initialInstances(settings, trace, model);
        for (int i = 0; i < initial; i++) {
            Node n = c.launch();
            n.launched = 0;
        }
        for (Node n : c.nodes) {
            n.ready = -1;
        }
        Stepper stepper = policyStepper.apply(c);
        int minutes = trace.minutes();
        double[] load = new double[minutes];
        int[] instances = new int[minutes];
        double[] cpu = new double[minutes];
        boolean[] violated = new boolean[minutes];
        int[] ready = new int[60];
        double instanceSeconds = 0;
        int violations = 0;
        int peak = c.nodes.size();
        for (int m = 0; m < minutes; m++) {
            c.load = trace.requestsPerMinute(m);
            for (int s = 0; s < 60; s++) {
                long t = m * 60L + s;
                c.now = t;
                c.nodes.removeIf(n -> n.destroyAt <= t);
                stepper.step(t);
                c.nodes.removeIf(n -> n.destroyAt <= t);
                ready[s] = c.ready();
                instanceSeconds += c.nodes.size();
                peak = Math.max(peak, c.nodes.size());
            }
            double[] avg = averages(model, c.load, ready);
            load[m] = c.load;
            cpu[m] = avg[0];
            instances[m] = c.nodes.size();
            violated[m] = violated(settings, avg[0], avg[1]);
            if (violated[m]) {
                violations++;
            }
        }
        return new SimulationResult(policy, instanceSeconds / 60, violations, stepper.events(), peak, load, instances,
                cpu, violated);
    }

    private interface Stepper {
        void step(long t);

        int events();
    }

    /** The real engine on the simulated cluster. */
    private static final class GbStepper implements Stepper, InstanceManager, MetricsSource {
        private final Cluster c;
        private final AutoScaler scaler;
        private final long interval;
        private final Map<String, Node> byId = new HashMap<>();
        private int events;

        GbStepper(ScalingSettings settings, Cluster c) {
            this.c = c;
            this.interval = Math.max(1, settings.checkInterval().toSeconds());
            for (Node n : c.nodes) {
                byId.put(id(n), n);
            }
            Ticker ticker = () -> c.now * 1_000_000_000L;
            this.scaler = AutoScaler.custom(settings.withEnabled(true), this, this).name("simulated")
                    .leaderElection(LeaderElection.alone())
                    .ticker(ticker).clock(ticker.asClock(Instant.EPOCH))
                    .listener(e -> {
                        if (e instanceof ScalingEvent.ScaledUp || e instanceof ScalingEvent.ScaledDown) {
                            events++;
                        }
                    }).build();
        }

        private static String id(Node n) {
            return "sim-" + n.id;
        }

        @Override
        public void step(long t) {
            if (t % interval == 0) {
                scaler.check();
            }
        }

        @Override
        public int events() {
            return events;
        }

        @Override
        public List<Instance> list() {
            List<Instance> out = new ArrayList<>();
            for (Node n : c.nodes) {
                out.add(instance(n));
            }
            return out;
        }

        private Instance instance(Node n) {
            return new Instance(id(n), new HostAndPort("sim", 1 + n.id % 65535), n.launched * 1_000_000_000L);
        }

        @Override
        public Instance launch() {
            Node n = c.launch();
            byId.put(id(n), n);
            return instance(n);
        }

        @Override
        public void drain(Instance instance) {
            byId.get(instance.id()).serving = false;
        }

        @Override
        public boolean isDrained(Instance instance) {
            return true;
        }

        @Override
        public void destroy(Instance instance) {
            Node n = byId.remove(instance.id());
            n.destroyAt = c.now;
        }

        @Override
        public Map<String, InstanceMetrics> collect(List<Instance> instances) {
            int ready = c.ready();
            double cpu = c.model.cpuPercent(c.load, ready);
            double rt = c.model.responseMillis(c.load, ready);
            double rpm = ready == 0 ? 0 : c.load / ready;
            Map<String, InstanceMetrics> out = new HashMap<>();
            for (Instance i : instances) {
                Node n = byId.get(i.id());
                out.put(i.id(), n.isReady(c.now)
                        ? new InstanceMetrics(true, cpu, Double.NaN, rpm, rt, Double.NaN)
                        : InstanceMetrics.NOT_READY);
            }
            return out;
        }
    }

    /** The seed's autoscale.sh loop. */
    private static final class SeedScriptStepper implements Stepper {
        private final ScalingSettings s;
        private final Cluster c;
        private long nextCheck;
        private long lastScale = Long.MIN_VALUE;
        private int events;

        SeedScriptStepper(ScalingSettings s, Cluster c) {
            this.s = s;
            this.c = c;
        }

        @Override
        public void step(long t) {
            if (t < nextCheck) {
                return;
            }
            nextCheck = t + 30;
            List<Node> containers = c.nodes.stream().filter(n -> n.destroyAt == Long.MAX_VALUE).toList();
            int ready = c.ready();
            double cpu = c.model.cpuPercent(c.load, ready);
            double total = 0;
            for (Node n : containers) {
                total += n.isReady(t) ? cpu : 0;
            }
            double avg = containers.isEmpty() ? 0 : total / containers.size();
            boolean canScale = lastScale == Long.MIN_VALUE || t - lastScale > s.cooldown().toSeconds();
            if (!canScale) {
                return;
            }
            if (avg > s.cpuThreshold()) {
                if (containers.size() >= s.maxInstances()) {
                    return;
                }
                c.launch();
                lastScale = t;
                events++;
            } else if (avg < 30) {
                if (containers.size() <= s.minInstances()) {
                    return;
                }
                Node newest = containers.stream().max(Comparator.comparingInt(n -> n.id)).orElseThrow();
                newest.destroyAt = t + 30;
                newest.serving = true;
                lastScale = t + 30;
                nextCheck = t + 60;
                events++;
            }
        }

        @Override
        public int events() {
            return events;
        }
    }

    /** Kubernetes HPA with default behavior. */
    private static final class HpaStepper implements Stepper {
        private static final double TOLERANCE = 0.1;
        private final ScalingSettings s;
        private final Cluster c;
        private final Deque<long[]> recs = new ArrayDeque<>();
        private int events;

        HpaStepper(ScalingSettings s, Cluster c) {
            this.s = s;
            this.c = c;
        }

        @Override
        public void step(long t) {
            if (t % 15 != 0) {
                return;
            }
            int current = c.nodes.size();
            int ready = c.ready();
            int unready = current - ready;
            int desired = current;
            if (ready > 0) {
                double cpu = c.model.cpuPercent(c.load, ready);
                double ratio = cpu / s.cpuThreshold();
                if (ratio > 1 && unready > 0) {
                    double newRatio = cpu * ready / (s.cpuThreshold() * (ready + unready));
                    if (newRatio > 1 + TOLERANCE) {
                        desired = (int) Math.ceil(newRatio * (ready + unready) - 1e-9);
                    }
                } else if (Math.abs(ratio - 1) > TOLERANCE) {
                    desired = (int) Math.ceil(ratio * ready - 1e-9);
                }
            }
            recs.addLast(new long[] {t, desired});
            while (t - recs.peekFirst()[0] > 300) {
                recs.removeFirst();
            }
            int downRec = desired;
            for (long[] r : recs) {
                downRec = (int) Math.max(downRec, r[1]);
            }
            int rec = current;
            if (rec < desired) {
                rec = desired;
            }
            if (rec > downRec) {
                rec = downRec;
            }
            int upLimit = Math.max(current * 2, current + 4);
            rec = Math.min(rec, upLimit);
            rec = Math.max(s.minInstances(), Math.min(s.maxInstances(), rec));
            if (rec > current) {
                for (int i = current; i < rec; i++) {
                    c.launch();
                }
                events++;
            } else if (rec < current) {
                List<Node> order = new ArrayList<>(c.nodes);
                order.sort(Comparator.<Node, Boolean>comparing(n -> n.isReady(t))
                        .thenComparing(Comparator.comparingInt((Node n) -> n.id).reversed()));
                for (int i = 0; i < current - rec; i++) {
                    order.get(i).destroyAt = t;
                }
                events++;
            }
        }

        @Override
        public int events() {
            return events;
        }
    }
    /** Replays a fixed schedule: the oracle's. */
    private static final class ScheduleStepper implements Stepper {
        private final Cluster c;
        private final Map<Long, List<Integer>> launches = new HashMap<>();
        private final Map<Long, List<Integer>> destroys = new HashMap<>();
        private final Node[] nodes;
        private int events;

        ScheduleStepper(Cluster c, List<Oracle.Lifetime> lifetimes) {
            this.c = c;
            this.nodes = new Node[lifetimes.size()];
            int initial = 0;
            for (int i = 0; i < lifetimes.size(); i++) {
                Oracle.Lifetime l = lifetimes.get(i);
                if (l.initial()) {
                    if (i != initial || i >= c.nodes.size()) {
                        throw new IllegalArgumentException("the schedule must list the " + c.nodes.size()
                                + " initial instances first, but lifetime " + i + " is " + l);
                    }
                    nodes[i] = c.nodes.get(initial++);
                } else {
                    launches.computeIfAbsent(l.launch(), k -> new ArrayList<>()).add(i);
                }
                if (l.destroy() != Long.MAX_VALUE) {
                    destroys.computeIfAbsent(l.destroy(), k -> new ArrayList<>()).add(i);
                }
            }
            if (initial != c.nodes.size()) {
                throw new IllegalArgumentException("the schedule must list the " + c.nodes.size()
                        + " initial instances first, but has " + initial);
            }
        }

        @Override
        public void step(long t) {
            List<Integer> up = launches.get(t);
            if (up != null) {
                for (int i : up) {
                    nodes[i] = c.launch();
                }
                events++;
            }
            List<Integer> down = destroys.get(t);
            if (down != null) {
                for (int i : down) {
                    nodes[i].destroyAt = t;
                }
                events++;
            }
        }

        @Override
        public int events() {
            return events;
        }
    }
}
