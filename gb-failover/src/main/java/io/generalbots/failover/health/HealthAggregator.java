package io.generalbots.failover.health;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.generalbots.scaling.Checks;
import io.generalbots.scaling.DaemonThreads;
import io.generalbots.scaling.Ticker;
import io.generalbots.scaling.event.EventListener;
import io.generalbots.scaling.event.EventPublisher;
import io.generalbots.scaling.health.HealthCheck;
import io.generalbots.scaling.health.HealthCheckResult;
import io.generalbots.scaling.health.HealthReport;
import io.generalbots.scaling.health.HealthSettings;
import io.generalbots.scaling.health.HealthStatus;
import io.generalbots.scaling.health.InstanceState;

/**
 * Runs named {@link HealthCheck}s in parallel, each bounded by its own timeout and retried on
 * failure, in the background every interval, and serves the latest {@link HealthReport} at once:
 * answering {@code /api/health} never waits on a dependency.
 *
 * <pre>{@code
 * HealthAggregator health = HealthAggregator.custom(HealthAggregatorSettings.from(config))
 *         .version("6.1.0")
 *         .check("database", new DataSourceHealthCheck(dataSource))
 *         .check("llm", breakers.healthCheck("llm"))
 *         .build().start();
 * HealthReport report = health.report();
 * }</pre>
 *
 * <p>Rules (where the seed is silent):
 * <ul>
 *   <li>{@code health-timeout} bounds one check <em>including its retries</em>: a check that
 *       fails fast is tried again at once, up to {@code health-retries} more times, while time is
 *       left. A check that is still running at the timeout is reported {@code timeout}; one that
 *       throws is reported {@code error}; neither holds up the others.</li>
 *   <li>A check still running from an earlier round past its timeout (it never returned) is not
 *       started again; it stays {@code timeout} until it returns, so a hung dependency costs one
 *       thread, not one per round. Overlapping rounds (a manual {@link #refresh()} during a
 *       background one) share a run that is still within its timeout.</li>
 *   <li>Status: {@code unhealthy} if a critical check is down, errs, times out or has not run
 *       yet ({@code pending}); else {@code degraded} if any check is not ok (a degraded check,
 *       e.g. an open breaker, never makes the instance unhealthy); else {@code healthy}.</li>
 *   <li>A check's result changing is logged once with its name (WARN when it goes bad) and
 *       published as a {@link HealthEvent.CheckChanged}; a change of the overall status that
 *       follows is published as a {@link HealthEvent.StatusChanged} ({@link #addListener}). A
 *       listener that throws is logged and skipped: it never breaks a round.</li>
 *   <li>With an {@link Builder#instance(InstanceState) instance} (gb-autoscale's
 *       {@code BotInstance}), the report is {@link HealthReport#withInstance its view}: status
 *       {@code draining} (503, so readiness fails) while it drains, and its load figures
 *       ({@code requests_per_min}, {@code response_time_ms}, {@code inflight}, …) in
 *       {@code metrics}.</li>
 * </ul>
 *
 * <p><b>Disabled</b> ({@code health-enabled,false}, or {@link Builder#enabled(boolean)} false):
 * the aggregator exists, costs nothing and says so. It starts no thread and runs no check (the
 * checks given to the builder are ignored), {@link #start()} and {@link #refresh()} do nothing,
 * and the report is always {@code healthy} with no checks, cpu and memory 0 (the uptime, version
 * and connections are still reported), e.g.
 * {@code {"status":"healthy","version":"6.1.0","uptime":5,"checks":{},"metrics":{"cpu":0.0,"memory":0.0,"connections":3}}}.
 * Building one logs once, at INFO:
 * {@code health checks are disabled (health-enabled,false): no check runs and the report is always healthy with no checks}.
 *
 * <p><b>Threads.</b> Checks run on a cached pool of daemon threads named {@code gb-health-check-N}
 * and rounds are scheduled on a daemon thread {@code gb-health-refresh-N}, both stopped by
 * {@link #close()}; or on the host's: a {@link Builder#threadFactory(ThreadFactory) ThreadFactory}
 * makes those threads, an {@link Builder#executor(Executor) executor} runs the checks, a
 * {@link Builder#scheduler(ScheduledExecutorService) scheduler} the rounds. {@link #close()} does
 * not shut down a host's executor or scheduler: it cancels the aggregator's task on the scheduler,
 * and checks still running on the host's executor are left to finish (a hung one keeps its thread).
 * Thread-safe.
 */
public final class HealthAggregator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HealthAggregator.class);
    static final HealthCheckResult PENDING = HealthCheckResult.down("pending");
    static final HealthCheckResult TIMEOUT = HealthCheckResult.down("timeout");

    private final Duration interval;
    private final Duration timeout;
    private final int retries;
    private final String version;
    private final Ticker ticker;
    private final LongSupplier uptimeSeconds;
    private final HostMetrics hostMetrics;
    private final LongSupplier connections;
    private final InstanceState instance;
    private final boolean enabled;
    private final List<Runner> runners;
    private final Executor workers;
    private final ScheduledExecutorService scheduler;
    private final boolean ownWorkers;
    private final boolean ownScheduler;
    private volatile ScheduledFuture<?> refreshTask;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile HealthReport.Metrics lastMetrics = HealthReport.Metrics.NONE;
    private final EventPublisher<HealthEvent> events = EventPublisher.of("health aggregator");
    /** Orders the events of checks finishing at once, so that each status change is told once. */
    private final ReentrantLock eventLock = new ReentrantLock();
    private HealthStatus lastStatus;
    private volatile CheckRecorder[] recorders = new CheckRecorder[0];

    /** Told how long each run of a check took (retries included); implemented by {@link HealthMetrics}. */
    interface CheckRecorder {
        void checked(String check, long nanos);
    }

    private HealthAggregator(Builder b) {
        this.interval = b.interval;
        this.timeout = b.timeout;
        this.retries = b.retries;
        this.version = b.version;
        this.ticker = b.ticker;
        this.hostMetrics = b.hostMetrics;
        this.connections = b.connections;
        this.instance = b.instance;
        if (b.uptimeSeconds != null) {
            this.uptimeSeconds = b.uptimeSeconds;
        } else if (b.ticker == Builder.SYSTEM) {
            this.uptimeSeconds = () -> ManagementFactory.getRuntimeMXBean().getUptime() / 1000;
        } else {
            long origin = b.ticker.read();
            Ticker t = b.ticker;
            this.uptimeSeconds = () -> (t.read() - origin) / 1_000_000_000L;
        }
        this.enabled = b.enabled;
        b.listeners.forEach(events::addListener);
        if (!enabled) {
            this.runners = List.of();
            this.workers = null;
            this.scheduler = null;
            this.ownWorkers = false;
            this.ownScheduler = false;
            LOG.info("health checks are disabled (health-enabled,false): no check runs and the report is always "
                    + "healthy with no checks");
        } else {
            List<Runner> list = new ArrayList<>();
            for (Map.Entry<String, Boolean> e : b.critical.entrySet()) {
                list.add(new Runner(e.getKey(), b.checks.get(e.getKey()), e.getValue()));
            }
            this.runners = List.copyOf(list);
            this.ownWorkers = b.executor == null;
            this.ownScheduler = b.scheduler == null;
            this.workers = ownWorkers ? Executors.newCachedThreadPool(factory(b.threadFactory, "gb-health-check-"))
                    : b.executor;
            this.scheduler = ownScheduler
                    ? Executors.newSingleThreadScheduledExecutor(factory(b.threadFactory, "gb-health-refresh-"))
                    : b.scheduler;
        }
        this.lastStatus = status();
    }

    /**
     * A builder with the seed's defaults (every 10 s, 5 s timeout, 3 retries).
     *
     * @return the builder
     */
    public static Builder custom() {
        return new Builder();
    }

    /**
     * A builder with the settings of {@code config.csv}.
     *
     * @param settings the health settings
     * @return the builder
     */
    public static Builder custom(HealthAggregatorSettings settings) {
        HealthSettings h = settings.health();
        Builder b = new Builder().enabled(h.enabled()).interval(h.interval()).timeout(h.timeout()).retries(h.retries());
        if (settings.criticalChecksGiven()) {
            b.criticalChecks(settings.criticalChecks());
        } else {
            b.criticalNames = settings.criticalChecks(); // the default, database: a botserver without one is fine
        }
        return b;
    }

    /**
     * Starts the background refresh: a first round at once, then one every interval. Does
     * nothing when disabled.
     *
     * @return this
     */
    public HealthAggregator start() {
        if (enabled && started.compareAndSet(false, true)) {
            refreshTask = scheduler.scheduleWithFixedDelay(() -> {
                try {
                    refresh().join();
                } catch (RuntimeException e) {
                    LOG.error("health: refresh failed", e);
                }
            }, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
        }
        return this;
    }

    /**
     * Runs every check now, in parallel, and completes when all have answered or timed out (so
     * within the timeout); {@link #report()} reflects the round from then on. When disabled,
     * completes at once with the (healthy, empty) report.
     *
     * @return the report after this round
     */
    public CompletableFuture<HealthReport> refresh() {
        if (!enabled) {
            return CompletableFuture.completedFuture(report());
        }
        List<CompletableFuture<?>> rounds = new ArrayList<>(runners.size());
        for (Runner r : runners) {
            rounds.add(r.round());
        }
        return CompletableFuture.allOf(rounds.toArray(new CompletableFuture<?>[0])).thenApply(x -> {
            lastMetrics = new HealthReport.Metrics(hostMetrics.cpuPercent(), hostMetrics.memoryPercent(), 0);
            return report();
        });
    }

    /**
     * The latest report, without waiting: the last results of each check, the current uptime
     * and connections, cpu and memory of the last round, and the instance's state if one is set.
     *
     * @return the report
     */
    public HealthReport report() {
        Map<String, String> checks = new LinkedHashMap<>();
        HealthStatus status = HealthStatus.HEALTHY;
        for (Runner r : runners) {
            HealthCheckResult res = r.last;
            checks.put(r.name, res.word());
            status = status.worst(statusOf(res, r.critical));
        }
        HealthReport.Metrics m = lastMetrics;
        HealthReport report = new HealthReport(status, version, Math.max(0, uptimeSeconds.getAsLong()), checks,
                new HealthReport.Metrics(m.cpu(), m.memory(), connections.getAsLong()));
        return instance == null ? report : report.withInstance(instance);
    }

    /**
     * The latest result of each check, with details, in registration order.
     *
     * @return name to result
     */
    public Map<String, HealthCheckResult> results() {
        Map<String, HealthCheckResult> out = new LinkedHashMap<>();
        for (Runner r : runners) {
            out.put(r.name, r.last);
        }
        return out;
    }

    private HealthStatus status() {
        HealthStatus status = HealthStatus.HEALTHY;
        for (Runner r : runners) {
            status = status.worst(statusOf(r.last, r.critical));
        }
        return status;
    }

    /**
     * Whether checks run ({@code health-enabled}); a disabled aggregator reports healthy with no checks.
     *
     * @return false when disabled
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Adds a listener of check results and overall status changes ({@link HealthEvent}). Called on
     * the thread that finished the check (a check thread, or the caller of {@link #refresh()});
     * keep it short. A listener that throws is logged and skipped.
     *
     * @param listener the listener
     */
    public void addListener(EventListener<? super HealthEvent> listener) {
        events.addListener(listener);
    }

    /**
     * Removes a listener.
     *
     * @param listener the listener
     * @return whether it was a listener
     */
    public boolean removeListener(EventListener<? super HealthEvent> listener) {
        return events.removeListener(listener);
    }

    static HealthStatus statusOf(HealthCheckResult res, boolean critical) {
        return switch (res.status()) {
            case UP -> HealthStatus.HEALTHY;
            case DEGRADED -> HealthStatus.DEGRADED;
            case DOWN -> critical ? HealthStatus.UNHEALTHY : HealthStatus.DEGRADED;
        };
    }

    /**
     * The version reported.
     *
     * @return the version
     */
    public String version() {
        return version;
    }

    /** The time budget of one check, retries included ({@code health-timeout}). */
    Duration timeout() {
        return timeout;
    }

    synchronized void addRecorder(CheckRecorder recorder) {
        CheckRecorder[] now = java.util.Arrays.copyOf(recorders, recorders.length + 1);
        now[now.length - 1] = Objects.requireNonNull(recorder, "recorder");
        recorders = now;
    }

    /**
     * Stops the background refresh and the aggregator's own check threads (a hung check's thread is
     * interrupted). A host's {@link Builder#executor executor} and {@link Builder#scheduler scheduler}
     * are not shut down: the refresh task is cancelled and running checks are left to finish.
     */
    @Override
    public void close() {
        if (enabled) {
            ScheduledFuture<?> task = refreshTask;
            if (task != null) {
                task.cancel(true);
            }
            if (ownScheduler) {
                scheduler.shutdownNow();
            }
            if (ownWorkers) {
                ((ExecutorService) workers).shutdownNow();
            }
        }
    }

    private static ThreadFactory factory(ThreadFactory host, String prefix) {
        return host != null ? host : DaemonThreads.numbered(prefix);
    }

    /** One check: its last result and whether a run is under way. */
    private final class Runner {
        final String name;
        final HealthCheck check;
        final boolean critical;
        final AtomicBoolean inFlight = new AtomicBoolean();
        volatile HealthCheckResult last = PENDING;
        final java.util.concurrent.atomic.AtomicReference<CompletableFuture<HealthCheckResult>> current =
                new java.util.concurrent.atomic.AtomicReference<>();

        Runner(String name, HealthCheck check, boolean critical) {
            this.name = name;
            this.check = check;
            this.critical = critical;
        }

        CompletableFuture<HealthCheckResult> round() {
            CompletableFuture<HealthCheckResult> running = current.get();
            if (running != null && !running.isDone()) {
                // a round within its timeout is under way (an overlapping refresh): share its answer
                return running;
            }
            if (inFlight.get()) {
                // the previous run outlived its timeout and never returned: do not pile up threads
                // behind a hung dependency
                store(TIMEOUT);
                return CompletableFuture.completedFuture(TIMEOUT);
            }
            CompletableFuture<HealthCheckResult> mine = new CompletableFuture<>();
            if (!current.compareAndSet(running, mine)) {
                CompletableFuture<HealthCheckResult> other = current.get();
                return other != null ? other : CompletableFuture.completedFuture(last);
            }
            inFlight.set(true);
            long deadline = ticker.read() + timeout.toNanos();
            CompletableFuture<HealthCheckResult> run;
            try {
                run = CompletableFuture.supplyAsync(() -> attempts(deadline), workers);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                inFlight.set(false);
                mine.complete(last);
                return mine;
            }
            run.completeOnTimeout(TIMEOUT, timeout.toNanos(), TimeUnit.NANOSECONDS).whenComplete((res, error) -> {
                HealthCheckResult r = res != null ? res : HealthCheckResult.down("error");
                store(r);
                mine.complete(r);
            });
            return mine;
        }

        HealthCheckResult attempts(long deadline) {
            long start = ticker.read();
            try {
                HealthCheckResult res = null;
                for (int attempt = 0; attempt <= retries; attempt++) {
                    try {
                        res = check.check();
                        if (res == null) {
                            res = HealthCheckResult.down("error");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return TIMEOUT;
                    } catch (Exception | LinkageError e) {
                        res = new HealthCheckResult(HealthCheckResult.Status.DOWN, "error",
                                Map.of("error", String.valueOf(e)));
                    }
                    if (res.status() != HealthCheckResult.Status.DOWN || ticker.read() - deadline >= 0) {
                        break;
                    }
                }
                if (ticker.read() - deadline > 0) {
                    // answered, but late: the round has already reported it as a timeout; keep the truth
                    store(res);
                }
                return res;
            } finally {
                inFlight.set(false);
                long took = ticker.read() - start;
                for (CheckRecorder r : recorders) {
                    r.checked(name, took);
                }
            }
        }

        void store(HealthCheckResult res) {
            eventLock.lock();
            try {
                HealthCheckResult before = last;
                last = res;
                if (!before.word().equals(res.word())) {
                    if (res.status() == HealthCheckResult.Status.UP) {
                        LOG.info("health check '{}' {} -> {}", name, before.word(), res.word());
                    } else {
                        LOG.warn("health check '{}' {} -> {}{}", name, before.word(), res.word(),
                                res.details().isEmpty() ? "" : " " + res.details());
                    }
                    events.publish(new HealthEvent.CheckChanged(name, before, res));
                    HealthStatus now = status();
                    if (now != lastStatus) {
                        HealthStatus was = lastStatus;
                        lastStatus = now;
                        events.publish(new HealthEvent.StatusChanged(was, now));
                    }
                }
            } finally {
                eventLock.unlock();
            }
        }
    }

    /** Builds a {@link HealthAggregator}; every setter checks its argument. */
    public static final class Builder {
        static final Ticker SYSTEM = Ticker.system();
        private boolean enabled = true;
        private final List<EventListener<? super HealthEvent>> listeners = new ArrayList<>();
        private Duration interval = Duration.ofSeconds(10);
        private Duration timeout = Duration.ofSeconds(5);
        private int retries = 3;
        private String version = "unknown";
        private Ticker ticker = SYSTEM;
        private LongSupplier uptimeSeconds;
        private HostMetrics hostMetrics = HostMetrics.system();
        private LongSupplier connections = () -> 0;
        private InstanceState instance;
        private Executor executor;
        private ScheduledExecutorService scheduler;
        private ThreadFactory threadFactory;
        private Set<String> criticalNames = Set.of("database");
        private boolean criticalNamesGiven;
        private final Map<String, HealthCheck> checks = new LinkedHashMap<>();
        private final Map<String, Boolean> critical = new LinkedHashMap<>();
        private final Map<String, Boolean> explicit = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Whether checks run ({@code health-enabled}, default true). Disabled, the aggregator
         * starts no thread, runs no check and always reports healthy with no checks.
         *
         * @param enabled false to disable
         * @return this
         */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /**
         * Adds a listener of check results and status changes, as
         * {@link HealthAggregator#addListener} does once built.
         *
         * @param listener the listener
         * @return this
         */
        public Builder listener(EventListener<? super HealthEvent> listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Time between background rounds ({@code health-interval}).
         *
         * @param interval positive
         * @return this
         */
        public Builder interval(Duration interval) {
            this.interval = Checks.requirePositive("interval", interval);
            return this;
        }

        /**
         * Time one check may take, retries included ({@code health-timeout}).
         *
         * @param timeout positive
         * @return this
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Checks.requirePositive("timeout", timeout);
            return this;
        }

        /**
         * Extra attempts of a failing check ({@code health-retries}).
         *
         * @param retries 0..100
         * @return this
         */
        public Builder retries(int retries) {
            this.retries = Checks.requireRange("retries", retries, 0, 100);
            return this;
        }

        /**
         * The application version reported in {@code version}.
         *
         * @param version non-blank
         * @return this
         */
        public Builder version(String version) {
            Checks.require(version != null && !version.isBlank(), "version", "non-blank", version);
            this.version = version;
            return this;
        }

        /**
         * The time source for deadlines and (unless {@link #uptime}) uptime.
         *
         * @param ticker the ticker
         * @return this
         */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * Where {@code uptime} comes from (default: the JVM's uptime).
         *
         * @param seconds the uptime in seconds
         * @return this
         */
        public Builder uptime(LongSupplier seconds) {
            this.uptimeSeconds = Objects.requireNonNull(seconds, "uptime");
            return this;
        }

        /**
         * Where {@code cpu} and {@code memory} come from (default {@link HostMetrics#system()}).
         *
         * @param metrics the metrics
         * @return this
         */
        public Builder hostMetrics(HostMetrics metrics) {
            this.hostMetrics = Objects.requireNonNull(metrics, "hostMetrics");
            return this;
        }

        /**
         * The host application's count of active requests or connections ({@code connections}).
         *
         * @param connections the count
         * @return this
         */
        public Builder connections(LongSupplier connections) {
            this.connections = Objects.requireNonNull(connections, "connections");
            return this;
        }

        /**
         * The instance side of this botserver (gb-autoscale's {@code BotInstance}): while it drains
         * the report is {@code draining} (served with 503), and its load figures join
         * {@code metrics}; {@code connections} is its requests in flight unless
         * {@link #connections(LongSupplier)} says otherwise.
         *
         * @param instance the instance's state
         * @return this
         */
        public Builder instance(InstanceState instance) {
            this.instance = Objects.requireNonNull(instance, "instance");
            return this;
        }

        /**
         * The host's executor for the checks (default: a cached pool of daemon threads named
         * {@code gb-health-check-N}). Each running check holds one of its threads, a hung check
         * until it returns: give an executor that can grow, or one thread per check.
         * {@link HealthAggregator#close()} does not shut it down.
         *
         * @param executor the executor
         * @return this
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * The host's scheduler for the background rounds (default: a daemon thread named
         * {@code gb-health-refresh-N}). {@link HealthAggregator#close()} cancels the aggregator's task
         * on it but does not shut it down.
         *
         * @param scheduler the scheduler
         * @return this
         */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * The host's factory for the threads the aggregator makes itself: the check threads
         * (unless an {@link #executor} is given) and the refresh thread (unless a {@link #scheduler}
         * is given); they are stopped by {@link HealthAggregator#close()}.
         *
         * @param threadFactory the factory
         * @return this
         */
        public Builder threadFactory(ThreadFactory threadFactory) {
            this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
            return this;
        }

        /**
         * Names of the checks whose failure makes the instance unhealthy
         * ({@code health-critical-checks}, default {@code database}); it applies to checks added
         * with {@link #check(String, HealthCheck)}. Each must name a check added by the time of
         * {@link #build()}.
         *
         * @param names the names
         * @return this
         */
        public Builder criticalChecks(Set<String> names) {
            this.criticalNames = Set.copyOf(names);
            this.criticalNamesGiven = true;
            return this;
        }

        /**
         * Adds a check, critical if its name is among {@link #criticalChecks(Set)}.
         *
         * @param name  the name in the report's {@code checks}
         * @param check the check
         * @return this
         */
        public Builder check(String name, HealthCheck check) {
            return add(name, check, null);
        }

        /**
         * Adds a check, saying whether it is critical.
         *
         * @param name     the name in the report's {@code checks}
         * @param check    the check
         * @param critical true: its failure makes the instance unhealthy; false: only degraded
         * @return this
         */
        public Builder check(String name, HealthCheck check, boolean critical) {
            return add(name, check, critical);
        }

        private Builder add(String name, HealthCheck check, Boolean isCritical) {
            Checks.require(name != null && !name.isBlank(), "check name", "non-blank", name);
            Objects.requireNonNull(check, "check");
            if (checks.containsKey(name)) {
                throw new IllegalArgumentException("check name must be unique, but \"" + name + "\" was added twice");
            }
            checks.put(name, check);
            explicit.put(name, isCritical);
            return this;
        }

        /**
         * Builds the aggregator (not started: call {@link HealthAggregator#start()}).
         *
         * @return the aggregator
         * @throws IllegalArgumentException when a name given to {@link #criticalChecks(Set)}
         *         ({@code health-critical-checks}) is no check's: {@code health-critical-checks names
         *         databse, but no check has that name (the checks: [breakers, llm])}
         */
        public HealthAggregator build() {
            if (criticalNamesGiven) {
                List<String> unknown = criticalNames.stream().filter(n -> !checks.containsKey(n)).sorted().toList();
                if (!unknown.isEmpty()) {
                    throw new IllegalArgumentException("health-critical-checks names " + String.join(", ", unknown)
                            + ", but no check has " + (unknown.size() == 1 ? "that name" : "these names")
                            + " (the checks: " + checks.keySet().stream().sorted().toList() + ")");
                }
            }
            critical.clear();
            for (Map.Entry<String, Boolean> e : explicit.entrySet()) {
                critical.put(e.getKey(), e.getValue() != null ? e.getValue() : criticalNames.contains(e.getKey()));
            }
            return new HealthAggregator(this);
        }
    }
}
