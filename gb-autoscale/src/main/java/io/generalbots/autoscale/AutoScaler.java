package io.generalbots.autoscale;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.generalbots.scaling.Ticker;
import io.generalbots.scaling.cluster.UpstreamsListener;
import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.scaling.event.EventListener;
import io.generalbots.scaling.event.EventPublisher;
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
 *
 * <p>Listeners ({@link ScalingListener}) are told through gb-scaling's guarded dispatch: one that
 * throws is logged and neither the scale-up nor the other listeners are affected. Built with
 * {@code scale-enabled,false}, the scaler logs so once at INFO and its checks do nothing.
 *
 * <p>Thread-safe: checks run one at a time under a {@link ReentrantLock} (a check calls the
 * instance manager and the election, which do I/O; no monitor is held over it). This class is the
 * facade; the jobs of a check are package-private parts: the timing rules
 * ({@code DecisionRules}), the forecast ({@code LoadForecast}) and scale-down headroom
 * ({@code DownHeadroom}) over the two line fits ({@code Fits}), boot times ({@code BootTimes})
 * and the drains ({@code Drains}).
 */
public final class AutoScaler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AutoScaler.class);

    /** What a check saw, for {@link ScalingListener#onCheck}. */
    private record CheckSeen(int instances, Map<String, InstanceMetrics> metrics) {
    }

    /** Hands a check to a {@link ScalingListener}; equal for the same listener, so it can be removed. */
    private record OnCheck(ScalingListener listener) implements EventListener<CheckSeen> {
        @Override
        public void onEvent(CheckSeen check) {
            listener.onCheck(check.instances(), check.metrics());
        }

        @Override
        public String toString() {
            return String.valueOf(listener);
        }
    }

    private final String name;
    private final ScalingSettings settings;
    private final InstanceManager manager;
    private final MetricsSource source;
    private final Ticker ticker;
    private final Clock clock;
    private final LeaderElection leader;
    private final UpstreamsListener upstreams;
    private final EventPublisher<ScalingEvent> events;
    private final EventPublisher<CheckSeen> checks;

    /** Held by a check, which calls the instance manager and the election: never {@code synchronized}. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Drains drains;
    private final DecisionRules rules;
    private final LoadForecast forecast = new LoadForecast();
    private final DownHeadroom headroom;
    private final BootTimes boots = new BootTimes();
    private boolean leading;
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
        this.upstreams = b.upstreams;
        this.events = EventPublisher.of("scaler " + name);
        this.checks = EventPublisher.of("scaler " + name);
        for (ScalingListener l : b.listeners) {
            addListener(l);
        }
        this.drains = new Drains(name, manager, this::failed);
        this.rules = new DecisionRules(settings.cooldown().toNanos(), settings.downStabilization().toNanos());
        this.headroom = new DownHeadroom(settings.downStabilization().toNanos());
        if (!settings.enabled()) {
            LOG.info("scaler {} is disabled (scale-enabled,false): a check does nothing, no election runs and no "
                    + "instance is launched or removed", name);
        }
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
     * Adds a listener of events and checks. Listeners are called in the order they were added, on
     * the thread of the check; one that throws is logged at WARN and the others and the scaler go
     * on ({@link EventPublisher}).
     *
     * @param listener the listener
     */
    public void addListener(ScalingListener listener) {
        events.addListener(Objects.requireNonNull(listener, "listener"));
        checks.addListener(new OnCheck(listener));
    }

    /**
     * Removes a listener (once, if it was added more than once).
     *
     * @param listener the listener
     * @return whether it was a listener
     */
    public boolean removeListener(ScalingListener listener) {
        checks.removeListener(new OnCheck(Objects.requireNonNull(listener, "listener")));
        return events.removeListener(listener);
    }

    /**
     * Ids of the instances being drained now.
     *
     * @return the ids
     */
    public Set<String> draining() {
        lock.lock();
        try {
            return drains.ids();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs the check every {@code scale-check-interval} on the given scheduler, the first one now.
     *
     * @param scheduler the scheduler (its thread runs the checks)
     */
    public void start(ScheduledExecutorService scheduler) {
        lock.lock();
        try {
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
        } finally {
            lock.unlock();
        }
    }

    /**
     * One check: elect, read metrics, decide, act. Returns what it recommended, or empty when it
     * did nothing: the scaler is disabled ({@code scale-enabled,false}: a check costs nothing),
     * this node is not the leader, or the instances could not be listed (a {@code ScalingFailed}
     * event says why). Never null. Checks run one at a time.
     *
     * @return the recommendation, or empty
     */
    public Optional<Recommendation> check() {
        if (!settings.enabled()) {
            return Optional.empty();
        }
        lock.lock();
        try {
            return checkLocked();
        } finally {
            lock.unlock();
        }
    }

    private Optional<Recommendation> checkLocked() {
        long now = ticker.read();
        if (!leader.tryLead()) {
            if (leading) {
                LOG.info("scaler {}: no longer the leader, stops scaling", name);
            }
            leading = false;
            rules.notLeading();
            return Optional.empty();
        }
        if (!leading) {
            leading = true;
            rules.startedLeading(now);
        }
        List<Instance> all;
        try {
            all = manager.list();
        } catch (InstanceException e) {
            failed("list", null, e);
            return Optional.empty();
        }
        Set<String> destroyed = drains.finishAll(all, now);
        List<Instance> counted = new ArrayList<>();
        for (Instance i : all) {
            if (!drains.contains(i.id()) && !destroyed.contains(i.id())) {
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
        boots.observe(counted, metrics, now);
        double cpuForecast = forecast(ready, now);
        Recommendation rec = Recommendation.recommend(settings, current, ready, current - ready.size(), cpuForecast,
                headroom.fraction(now));
        checks.publish(new CheckSeen(current, metrics));
        DecisionRules.Decision decision = rules.decide(now, current, rec.desired());
        switch (decision.action()) {
            case UP -> scaleUp(rec, current, counted, now);
            case DOWN -> scaleDown(rec, decision.to(), current, counted, metrics, now);
            default -> {
                if (decision.holds() == null) {
                    LOG.debug("scaler {}: holds at {} ({}: {})", name, current, rec.rule(), rec.reason());
                } else if (rec.desired() > current) {
                    LOG.debug("scaler {}: wants {} -> {} ({}: {}) but {}", name, current, rec.desired(), rec.rule(),
                            rec.reason(), decision.holds());
                } else {
                    LOG.debug("scaler {}: recommends {} -> {} ({}: {}); holds: {}", name, current, rec.desired(),
                            rec.rule(), rec.reason(), decision.holds());
                }
            }
        }
        if (rec.wanted() > settings.maxInstances()) {
            if (!atMax) {
                atMax = true;
                LOG.warn("scaler {}: wants {} instances but scale-max-instances is {} ({}: {}) [term {}]", name,
                        rec.wanted(), settings.maxInstances(), rec.rule(), rec.reason(), leader.fencingToken());
                events.publish(new ScalingEvent.MaxInstancesReached(clock.instant(), name, leader.fencingToken(),
                        rec.wanted(), settings.maxInstances(), rec.rule(), rec.reason()));
            }
        } else {
            atMax = false;
        }
        return Optional.of(rec);
    }

    /**
     * The average CPU of the ready instances one boot time plus one check ahead
     * ({@link LoadForecast}), NaN when no ready instance reports its CPU.
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
            forecast.reset();
            return Double.NaN;
        }
        headroom.add(now, sum);
        return forecast.forecast(now, sum, known, boots.bootNanos() + settings.checkInterval().toNanos());
    }

    private void scaleUp(Recommendation rec, int current, List<Instance> counted, long now) {
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
                boots.launched(instance.id(), now);
            } catch (InstanceException e) {
                failure = e;
                break;
            }
        }
        if (!launched.isEmpty()) {
            rules.acted(DecisionRules.Last.UP, now);
            int to = current + launched.size();
            LOG.info("scaler {}: scale up {} -> {} by {} ({}) [term {}]", name, current, to, rec.rule(), rec.reason(),
                    leader.fencingToken());
            events.publish(new ScalingEvent.ScaledUp(clock.instant(), name, leader.fencingToken(), current, to,
                    rec.rule(), rec.reason()));
            List<Instance> all = new ArrayList<>(counted);
            all.addAll(launched);
            tellUpstreams(all);
        }
        if (failure != null) {
            rules.acted(DecisionRules.Last.FAILED, now);
            failed("launch", null, failure);
        }
    }

    private void scaleDown(Recommendation rec, int to, int current, List<Instance> counted,
                           Map<String, InstanceMetrics> metrics, long now) {
        if (!leader.stillLeads()) {
            LOG.warn("scaler {}: lost leadership before scaling down; does nothing", name);
            return;
        }
        List<Instance> victims = Drains.victims(counted, metrics, current - to);
        List<Instance> keep = new ArrayList<>(counted);
        keep.removeAll(victims);
        if (!tellUpstreams(keep)) {
            return;
        }
        drains.begin(victims, now + settings.drainTimeout().toNanos());
        rules.acted(DecisionRules.Last.DOWN, now);
        String reason = rec.reason() + "; highest recommendation over " + settings.downStabilization().toSeconds()
                + " s: " + to;
        LOG.info("scaler {}: scale down {} -> {} by {} ({}), draining {} [term {}]", name, current, to, rec.rule(),
                reason, victims.stream().map(Instance::id).toList(), leader.fencingToken());
        events.publish(new ScalingEvent.ScaledDown(clock.instant(), name, leader.fencingToken(), current, to,
                rec.rule(), reason));
        drains.finish(victims, now);
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
        events.publish(new ScalingEvent.ScalingFailed(clock.instant(), name, leader.fencingToken(), operation,
                instance, String.valueOf(e.getMessage())));
    }

    /** Stops the scheduled checks (if started) and gives up leadership. Instances stay as they are. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (scheduled != null) {
                scheduled.cancel(false);
                scheduled = null;
            }
            leader.close();
            leading = false;
        } finally {
            lock.unlock();
        }
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
