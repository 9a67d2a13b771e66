package io.generalbots.autoscale;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.generalbots.scaling.Ticker;
import io.generalbots.scaling.cluster.UpstreamsListener;
import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.autoscale.instance.Instance;
import io.generalbots.autoscale.instance.InstanceException;
import io.generalbots.autoscale.instance.InstanceManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The auto-scaling engine: every {@code scale-check-interval} the leader reads each instance's
 * metrics, computes a {@link Recommendation} and launches or drains instances through an
 * {@link InstanceManager}. No sleeps, no own threads: {@link #check()} is one step (the simulator
 * and the tests call it with a manual {@link Ticker}); {@link #start(ScheduledExecutorService)}
 * runs it on a scheduler.
 *
 * <pre>{@code
 * AutoScaler scaler = AutoScaler.custom(ScalingSettings.from(config), manager,
 *         new HealthEndpointMetricsSource(HealthSettings.from(config)))
 *     .name("botserver")
 *     .leaderElection(LeaderElection.of(LeaderSettings.from(config), hostName, Ticker.system()))
 *     .upstreamsListener(caddySync)
 *     .listener(event -> log.info("{}", event))
 *     .build();
 * scaler.start(scheduler);
 * }</pre>
 *
 * <p>Timing rules (where the seed is silent, chosen here and documented in the module README):
 * <ul>
 *   <li>Scale-up acts at once, to the recommendation (proportional, several instances at a time).
 *       Instances launched by an earlier scale-up count toward the recommendation while they
 *       start, so a further scale-up within {@code scale-cooldown-seconds} adds only what is
 *       still missing (AWS target tracking's rule); a scale-up within the cooldown of a scale-down
 *       or of a failed launch waits for the cooldown.</li>
 *   <li>Scale-down waits for the cooldown since the last event of any kind, and goes only to the
 *       highest recommendation of the last {@code scale-down-stabilization-seconds} (HPA); a new
 *       leader first fills that window.</li>
 *   <li>Removed instances are taken out of the proxy ({@link UpstreamsListener}) first, then told
 *       to drain; they are destroyed once drained or after {@code scale-drain-seconds}. The newest
 *       instances (not ready ones first) are removed first.</li>
 *   <li>A failed launch publishes {@link ScalingEvent.ScalingFailed}, keeps the instances launched
 *       before it, and is retried after the cooldown.</li>
 * </ul>
 */
public final class AutoScaler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AutoScaler.class);

    private enum Last { NONE, UP, DOWN, FAILED }

    /** Checks over which the CPU trend is fitted. */
    static final int TREND_CHECKS = 10;
    /** Average CPU % at which instances count as saturated: their busy CPU no longer shows the load. */
    static final double SATURATED = 95;
    /** The boot time assumed until one is observed: 60 s. */
    static final long DEFAULT_BOOT_NANOS = 60_000_000_000L;

    private record Draining(Instance instance, long deadline) {
    }

    private record Rec(long at, int desired) {
    }

    private record Busy(long at, double busy) {
    }

    private final String name;
    private final ScalingSettings settings;
    private final InstanceManager manager;
    private final MetricsSource source;
    private final Ticker ticker;
    private final Clock clock;
    private final LeaderElection leader;
    private final List<ScalingListener> listeners;
    private final UpstreamsListener upstreams;

    private final Map<String, Draining> draining = new LinkedHashMap<>();
    private final Deque<Rec> window = new ArrayDeque<>();
    private final Deque<double[]> trend = new ArrayDeque<>();
    private final Deque<Busy> busyWindow = new ArrayDeque<>();
    private final Map<String, Long> booting = new java.util.HashMap<>();
    private long bootNanos = DEFAULT_BOOT_NANOS;
    private Last last = Last.NONE;
    private long lastAt;
    private boolean leading;
    private long leaderSince;
    private boolean atMax;
    private ScheduledFuture<?> scheduled;

    private AutoScaler(Builder b) {
        this.name = b.name;
        this.settings = b.settings;
        this.manager = b.manager;
        this.source = b.source;
        this.ticker = b.ticker;
        this.clock = b.clock;
        this.leader = b.leader;
        this.listeners = new CopyOnWriteArrayList<>(b.listeners);
        this.upstreams = b.upstreams;
    }

    /**
     * Starts building a scaler.
     *
     * @param settings the {@code scale-*} settings
     * @param manager  what launches and removes instances
     * @param source   where the metrics come from
     * @return the builder
     */
    public static Builder custom(ScalingSettings settings, InstanceManager manager, MetricsSource source) {
        return new Builder(settings, manager, source);
    }

    /**
     * The scaler's name (on every log line and event).
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The settings.
     *
     * @return the settings
     */
    public ScalingSettings settings() {
        return settings;
    }

    /**
     * Adds a listener.
     *
     * @param listener the listener
     */
    public void addListener(ScalingListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Ids of the instances being drained now.
     *
     * @return the ids
     */
    public synchronized Set<String> draining() {
        return new HashSet<>(draining.keySet());
    }

    /**
     * Runs the check every {@code scale-check-interval} on the given scheduler, the first one now.
     *
     * @param scheduler the scheduler (its thread runs the checks)
     */
    public synchronized void start(ScheduledExecutorService scheduler) {
        if (scheduled != null) {
            throw new IllegalStateException("scaler " + name + " is already started");
        }
        long period = settings.checkInterval().toNanos();
        scheduled = scheduler.scheduleWithFixedDelay(() -> {
            try {
                check();
            } catch (RuntimeException e) {
                LOG.error("scaler {}: check failed", name, e);
            }
        }, 0, period, TimeUnit.NANOSECONDS);
    }

    /**
     * One check: elect, read metrics, decide, act. Returns what it recommended, or empty when it
     * did nothing: the scaler is disabled ({@code scale-enabled,false}: a check costs nothing),
     * this node is not the leader, or the instances could not be listed (a {@code ScalingFailed}
     * event says why). Never null.
     *
     * @return the recommendation, or empty
     */
    public synchronized Optional<Recommendation> check() {
        if (!settings.enabled()) {
            return Optional.empty();
        }
        long now = ticker.read();
        if (!leader.tryLead()) {
            if (leading) {
                LOG.info("scaler {}: no longer the leader, stops scaling", name);
            }
            leading = false;
            window.clear();
            return Optional.empty();
        }
        if (!leading) {
            leading = true;
            leaderSince = now;
            window.clear();
        }
        List<Instance> all;
        try {
            all = manager.list();
        } catch (InstanceException e) {
            failed("list", null, e);
            return Optional.empty();
        }
        Set<String> destroyed = finishDrains(all, now);
        List<Instance> counted = new ArrayList<>();
        for (Instance i : all) {
            if (!draining.containsKey(i.id()) && !destroyed.contains(i.id())) {
                counted.add(i);
            }
        }
        Map<String, InstanceMetrics> metrics = source.collect(List.copyOf(counted));
        List<InstanceMetrics> ready = new ArrayList<>();
        for (Instance i : counted) {
            InstanceMetrics m = metrics.get(i.id());
            if (m != null && m.ready()) {
                ready.add(m);
            }
        }
        int current = counted.size();
        observeBoots(counted, metrics, now);
        double forecast = forecast(ready, now);
        Recommendation rec = Recommendation.recommend(settings, current, ready, current - ready.size(), forecast,
                downFraction(now));
        for (ScalingListener l : listeners) {
            try {
                l.onCheck(current, metrics);
            } catch (RuntimeException e) {
                LOG.warn("scaler {}: listener failed", name, e);
            }
        }
        window.addLast(new Rec(now, rec.desired()));
        while (now - window.peekFirst().at() > settings.downStabilization().toNanos()) {
            window.removeFirst();
        }
        boolean cooling = last != Last.NONE && now - lastAt < settings.cooldown().toNanos();
        if (rec.desired() > current) {
            if (cooling && last != Last.UP) {
                LOG.debug("scaler {}: wants {} -> {} ({}: {}) but cools down after a {}", name, current, rec.desired(),
                        rec.rule(), rec.reason(), last == Last.DOWN ? "scale-down" : "failed launch");
            } else {
                scaleUp(rec, current, counted, metrics, now);
            }
        } else if (rec.desired() < current) {
            int stabilized = window.stream().mapToInt(Rec::desired).max().orElse(current);
            boolean windowFilled = now - leaderSince >= settings.downStabilization().toNanos();
            if (!cooling && windowFilled && stabilized < current) {
                scaleDown(rec, stabilized, current, counted, metrics, now);
            } else {
                LOG.debug("scaler {}: recommends {} -> {} ({}: {}); holds: {}", name, current, rec.desired(),
                        rec.rule(), rec.reason(), cooling ? "cooldown" : !windowFilled ? "stabilization window filling"
                                : "highest recommendation of the window is " + stabilized);
            }
        } else {
            LOG.debug("scaler {}: holds at {} ({}: {})", name, current, rec.rule(), rec.reason());
        }
        if (rec.wanted() > settings.maxInstances()) {
            if (!atMax) {
                atMax = true;
                LOG.warn("scaler {}: wants {} instances but scale-max-instances is {} ({}: {}) [term {}]", name,
                        rec.wanted(), settings.maxInstances(), rec.rule(), rec.reason(), leader.fencingToken());
                publish(new ScalingEvent.MaxInstancesReached(clock.instant(), name, leader.fencingToken(),
                        rec.wanted(), settings.maxInstances(), rec.rule(), rec.reason()));
            }
        } else {
            atMax = false;
        }
        return Optional.of(rec);
    }

    /**
     * Learns how long instances take from launch to their first ready report: the forecast looks
     * that far (plus one check) ahead.
     */
    private void observeBoots(List<Instance> counted, Map<String, InstanceMetrics> metrics, long now) {
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
        booting.keySet().removeIf(id -> counted.stream().noneMatch(i -> i.id().equals(id)));
    }

    /**
     * The average CPU of the ready instances one boot time plus one check ahead, from the robust
     * (Theil–Sen) trend of the total busy CPU (average × ready) over the last
     * {@value #TREND_CHECKS} checks: the median of the slopes between every two checks, through the
     * median of the levels it gives now. NaN unless that slope rises and no check is saturated (at
     * or above {@value #SATURATED} %). A median slope rises only when most pairs of checks do:
     * symmetric noise is no trend, nor is a step of the load once most checks lie on one side of
     * it, while a noisy but steady rise is (a least-squares fit gated on R² ≥ 0.8 missed it).
     */
    private double forecast(List<InstanceMetrics> ready, long now) {
        double sum = 0;
        int known = 0;
        for (InstanceMetrics m : ready) {
            if (InstanceMetrics.known(m.cpuPercent())) {
                sum += m.cpuPercent();
                known++;
            }
        }
        if (known == 0) {
            trend.clear();
            return Double.NaN;
        }
        trend.addLast(new double[] {now / 1e9, sum, sum / known});
        busyWindow.addLast(new Busy(now, sum));
        while (trend.size() > TREND_CHECKS) {
            trend.removeFirst();
        }
        if (trend.size() < TREND_CHECKS) {
            return Double.NaN;
        }
        double[][] points = trend.toArray(new double[0][]);
        for (double[] p : points) {
            if (p[2] >= SATURATED) {
                return Double.NaN;
            }
        }
        int n = points.length;
        double[] slopes = new double[n * (n - 1) / 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double dt = points[j][0] - points[i][0];
                slopes[k++] = dt == 0 ? 0 : (points[j][1] - points[i][1]) / dt;
            }
        }
        double slope = median(slopes);
        if (!(slope > 0)) {
            return Double.NaN;
        }
        double t = now / 1e9;
        double[] levels = new double[n];
        for (int i = 0; i < n; i++) {
            levels[i] = points[i][1] + slope * (t - points[i][0]);
        }
        double horizon = (bootNanos + settings.checkInterval().toNanos()) / 1e9;
        double busyThen = median(levels) + slope * horizon;
        return busyThen / known;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        int h = v.length / 2;
        return v.length % 2 == 1 ? v[h] : (v[h - 1] + v[h]) / 2;
    }

    /**
     * The fraction of the targets a scale-down aims at: 1 minus the relative noise of the busy CPU
     * (average × ready) over the stabilization window (the standard deviation of its residuals
     * around the least-squares line, over its mean: a trend is not noise), within
     * {@link Recommendation#MIN_DOWN_FRACTION}..{@link Recommendation#MAX_DOWN_FRACTION}: a noisy
     * load keeps more headroom, so that its next spike does not undo the scale-down.
     */
    private double downFraction(long now) {
        while (!busyWindow.isEmpty() && now - busyWindow.peekFirst().at() > settings.downStabilization().toNanos()) {
            busyWindow.removeFirst();
        }
        if (busyWindow.size() < 2) {
            return Recommendation.DOWN_TOLERANCE;
        }
        double mean = busyWindow.stream().mapToDouble(Busy::busy).average().orElse(0);
        if (mean <= 0 || busyWindow.size() < 3) {
            return mean <= 0 ? Recommendation.MAX_DOWN_FRACTION : Recommendation.DOWN_TOLERANCE;
        }
        long t0 = busyWindow.peekFirst().at();
        double mt = busyWindow.stream().mapToDouble(p -> (p.at() - t0) / 1e9).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        for (Busy p : busyWindow) {
            double dt = (p.at() - t0) / 1e9 - mt;
            sxy += dt * (p.busy() - mean);
            sxx += dt * dt;
        }
        double slope = sxx == 0 ? 0 : sxy / sxx;
        double var = 0;
        for (Busy p : busyWindow) {
            double fit = mean + slope * ((p.at() - t0) / 1e9 - mt);
            var += (p.busy() - fit) * (p.busy() - fit);
        }
        var /= busyWindow.size() - 2;
        double f = 1 - Math.sqrt(var) / mean;
        return Math.max(Recommendation.MIN_DOWN_FRACTION, Math.min(Recommendation.MAX_DOWN_FRACTION, f));
    }

    private void scaleUp(Recommendation rec, int current, List<Instance> counted, Map<String, InstanceMetrics> metrics,
                         long now) {
        if (!leader.stillLeads()) {
            LOG.warn("scaler {}: lost leadership before scaling up; does nothing", name);
            return;
        }
        List<Instance> launched = new ArrayList<>();
        InstanceException failure = null;
        for (int i = current; i < rec.desired(); i++) {
            try {
                Instance instance = manager.launch();
                launched.add(instance);
                booting.put(instance.id(), now);
            } catch (InstanceException e) {
                failure = e;
                break;
            }
        }
        if (!launched.isEmpty()) {
            last = Last.UP;
            lastAt = now;
            int to = current + launched.size();
            LOG.info("scaler {}: scale up {} -> {} by {} ({}) [term {}]", name, current, to, rec.rule(), rec.reason(),
                    leader.fencingToken());
            publish(new ScalingEvent.ScaledUp(clock.instant(), name, leader.fencingToken(), current, to, rec.rule(),
                    rec.reason()));
            List<Instance> all = new ArrayList<>(counted);
            all.addAll(launched);
            tellUpstreams(all);
        }
        if (failure != null) {
            last = Last.FAILED;
            lastAt = now;
            failed("launch", null, failure);
        }
    }

    private void scaleDown(Recommendation rec, int to, int current, List<Instance> counted,
                           Map<String, InstanceMetrics> metrics, long now) {
        if (!leader.stillLeads()) {
            LOG.warn("scaler {}: lost leadership before scaling down; does nothing", name);
            return;
        }
        List<Instance> order = new ArrayList<>(counted);
        order.sort(Comparator.<Instance, Boolean>comparing(i -> {
            InstanceMetrics m = metrics.get(i.id());
            return m != null && m.ready();
        }).thenComparing(Comparator.comparingLong(Instance::launched).reversed()));
        List<Instance> victims = order.subList(0, current - to);
        List<Instance> keep = new ArrayList<>(counted);
        keep.removeAll(victims);
        if (!tellUpstreams(keep)) {
            return;
        }
        long deadline = now + settings.drainTimeout().toNanos();
        for (Instance v : victims) {
            try {
                manager.drain(v);
            } catch (InstanceException e) {
                failed("drain", v.id(), e);
            }
            draining.put(v.id(), new Draining(v, deadline));
        }
        last = Last.DOWN;
        lastAt = now;
        String reason = rec.reason() + "; highest recommendation over " + settings.downStabilization().toSeconds()
                + " s: " + to;
        LOG.info("scaler {}: scale down {} -> {} by {} ({}), draining {} [term {}]", name, current, to, rec.rule(),
                reason, victims.stream().map(Instance::id).toList(), leader.fencingToken());
        publish(new ScalingEvent.ScaledDown(clock.instant(), name, leader.fencingToken(), current, to, rec.rule(),
                reason));
        for (Instance v : victims) {
            Draining d = draining.get(v.id());
            if (d != null) {
                finish(d, now);
            }
        }
    }

    private Set<String> finishDrains(List<Instance> all, long now) {
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
            failed("destroy", d.instance().id(), e);
            return false;
        }
    }

    private boolean tellUpstreams(List<Instance> instances) {
        if (upstreams == null) {
            return true;
        }
        List<HostAndPort> list = instances.stream().sorted(Comparator.comparingLong(Instance::launched))
                .map(Instance::address).toList();
        try {
            upstreams.upstreamsChanged(list);
            return true;
        } catch (RuntimeException e) {
            failed("update upstreams", null, e);
            return false;
        }
    }

    private void failed(String operation, String instance, RuntimeException e) {
        LOG.warn("scaler {}: {}{} failed: {} [term {}]", name, operation, instance == null ? "" : " " + instance,
                e.getMessage(), leader.fencingToken());
        publish(new ScalingEvent.ScalingFailed(clock.instant(), name, leader.fencingToken(), operation, instance,
                String.valueOf(e.getMessage())));
    }

    private void publish(ScalingEvent event) {
        for (ScalingListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("scaler {}: listener failed on {}", name, event, e);
            }
        }
    }

    /** Stops the scheduled checks (if started) and gives up leadership. Instances stay as they are. */
    @Override
    public synchronized void close() {
        if (scheduled != null) {
            scheduled.cancel(false);
            scheduled = null;
        }
        leader.close();
        leading = false;
    }

    /** Builds an {@link AutoScaler}. */
    public static final class Builder {
        private final ScalingSettings settings;
        private final InstanceManager manager;
        private final MetricsSource source;
        private String name = "botserver";
        private Ticker ticker = Ticker.system();
        private Clock clock = Clock.systemUTC();
        private LeaderElection leader = NotElected.INSTANCE;
        private final List<ScalingListener> listeners = new ArrayList<>();
        private UpstreamsListener upstreams;

        private Builder(ScalingSettings settings, InstanceManager manager, MetricsSource source) {
            this.settings = Objects.requireNonNull(settings, "settings");
            this.manager = Objects.requireNonNull(manager, "manager");
            this.source = Objects.requireNonNull(source, "source");
        }

        /**
         * The name on log lines and events (default {@code botserver}).
         *
         * @param name the name
         * @return this
         */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * The monotonic time source (default {@link Ticker#system()}).
         *
         * @param ticker the ticker
         * @return this
         */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * The wall clock of event timestamps (default UTC system clock).
         *
         * @param clock the clock
         * @return this
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The leader election; the scaler closes it when it is closed. There is no default: with
         * {@code scale-enabled,true} and no election {@link #build()} refuses, since every
         * instance that links the library in would scale. {@link LeaderElection#alone()} says
         * that this is the only instance that runs a scaler ({@code scale-leader-election,single}).

         *
         * @param leader the election
         * @return this
         */
        public Builder leaderElection(LeaderElection leader) {
            this.leader = Objects.requireNonNull(leader, "leader");
            return this;
        }

        /**
         * Adds a listener of events and checks ({@code ScalingMetrics} adds its own when bound).
         *
         * @param listener the listener
         * @return this
         */
        public Builder listener(ScalingListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * The proxy to update after a scale-up and before a drain.
         *
         * @param listener the proxy sync
         * @return this
         */
        public Builder upstreamsListener(UpstreamsListener listener) {
            this.upstreams = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Builds the scaler.
         *
         * @return the scaler
         * @throws IllegalStateException if {@code scale-enabled} is true and no leader election
         *                               is set ({@link LeaderSettings#NOT_ELECTED})
         */
        public AutoScaler build() {
            if (settings.enabled() && leader instanceof NotElected) {
                throw new IllegalStateException("scaler " + name + ": " + LeaderSettings.NOT_ELECTED);
            }
            return new AutoScaler(this);
        }
    }
}
