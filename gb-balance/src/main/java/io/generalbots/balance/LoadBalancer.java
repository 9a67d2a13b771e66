package io.generalbots.balance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.generalbots.scaling.Checks;
import io.generalbots.scaling.Sleeper;
import io.generalbots.scaling.Ticker;
import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.scaling.event.EventListener;
import io.generalbots.scaling.event.EventPublisher;

/**
 * A client-side load balancer over a live set of upstreams, for the calls a botserver makes itself
 * (LLM servers, other instances), with the semantics of Caddy's {@code reverse_proxy}: the
 * {@link LoadBalancingPolicy policies}, active and passive health checks, and retries on another
 * upstream within {@code lb_try_duration}.
 *
 * <pre>{@code
 * LoadBalancer llm = LoadBalancer.custom("llm")
 *         .config(LoadBalancerConfig.custom().policy(LoadBalancingPolicy.peakEwma())
 *                 .healthUri("/health").failDuration(Duration.ofSeconds(30)).build())
 *         .upstreams(List.of(HostAndPort.parse("llm-1:8000", 0), HostAndPort.parse("llm-2:8000", 0)))
 *         .build()
 *         .start();                       // active health checks in the background
 * String answer = llm.execute(PickRequest.none(), lease -> http.get(lease.address(), "/v1/..."));
 * }</pre>
 *
 * <p>Thread-safe. A pick reads an immutable snapshot of the upstreams and a few volatile fields:
 * it never takes a lock and never waits for a health check. {@link #setUpstreams} and friends may
 * run while picks are in flight: a removed upstream gets no pick that starts after the removal
 * returns, and its in-flight leases complete normally.
 */
public final class LoadBalancer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LoadBalancer.class);
    private static final Upstream[] EMPTY = new Upstream[0];

    private final String name;
    private final LoadBalancerConfig config;
    private final UpstreamSelector selector;
    private final boolean trackLatency;
    private final Ticker ticker;
    private final Sleeper sleeper;
    private volatile HealthProbe probe;
    private final boolean ownScheduler;
    private final EventPublisher<LoadBalancerEvent> events;
    private final Object lock = new Object();
    private volatile Upstream[] pool = EMPTY;
    private volatile CompletionRecorder[] recorders = new CompletionRecorder[0];

    /**
     * Told of every completed lease; implemented by {@link LoadBalancerMetrics}. Runs on the
     * caller's thread: must not block or allocate.
     */
    interface CompletionRecorder {
        /**
         * One completed request.
         *
         * @param upstream the upstream
         * @param nanos    from the pick to the completion
         * @param failure  no response, or a 5xx status
         */
        void completed(Upstream upstream, long nanos, boolean failure);
    }
    private ScheduledFuture<?> healthTask;
    private ScheduledExecutorService scheduler;

    private LoadBalancer(Builder b) {
        this.name = b.name;
        this.events = EventPublisher.of("balancer " + b.name);
        this.config = b.config;
        this.selector = config.policy().newSelector();
        this.trackLatency = config.policy().kind() == LoadBalancingPolicy.Kind.PEAK_EWMA;
        this.ticker = b.ticker;
        this.sleeper = b.sleeper;
        this.probe = b.probe;
        this.ownScheduler = b.scheduler == null;
        this.scheduler = b.scheduler;
        setUpstreams(b.upstreams);
    }

    /**
     * A builder for a balancer with the given name (used in logs and events).
     *
     * @param name the name, e.g. {@code llm}
     * @return a builder
     */
    public static Builder custom(String name) {
        return new Builder(name);
    }

    /**
     * The balancer's name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The configuration.
     *
     * @return the configuration
     */
    public LoadBalancerConfig config() {
        return config;
    }

    // ------------------------------------------------------------------ upstream set

    /**
     * Replaces the upstream set: new addresses join (healthy until checked), missing ones leave
     * (no new picks; in-flight leases finish), kept ones keep their state and counters. The order
     * of the list is the order {@code first} and {@code round_robin} use. This is the method the
     * auto-scaler calls after a scale-up and before a drain.
     *
     * @param upstreams the new set, without duplicates
     */
    public void setUpstreams(List<HostAndPort> upstreams) {
        Objects.requireNonNull(upstreams, "upstreams");
        Checks.require(Set.copyOf(upstreams).size() == upstreams.size(), "upstreams", "without duplicates", upstreams);
        List<LoadBalancerEvent> changes = new ArrayList<>();
        synchronized (lock) {
            Map<HostAndPort, Upstream> old = new LinkedHashMap<>();
            for (Upstream u : pool) {
                old.put(u.address(), u);
            }
            Upstream[] next = new Upstream[upstreams.size()];
            for (int i = 0; i < next.length; i++) {
                HostAndPort address = upstreams.get(i);
                Upstream u = old.remove(address);
                if (u == null) {
                    u = new Upstream(address, config);
                    changes.add(new LoadBalancerEvent.UpstreamAdded(name, address));
                }
                next[i] = u;
            }
            for (Upstream gone : old.values()) {
                gone.removed = true;   // before the new pool is published: see pick()
                changes.add(new LoadBalancerEvent.UpstreamRemoved(name, gone.address(), gone.activeRequests()));
            }
            pool = next;
        }
        for (LoadBalancerEvent change : changes) {
            if (change instanceof LoadBalancerEvent.UpstreamRemoved removed) {
                LOG.info("balancer {}: upstream {} removed ({} in flight)", name, removed.upstream(), removed.inFlight());
            } else {
                LOG.info("balancer {}: upstream {} added", name, change.upstream());
            }
            events.publish(change);
        }
    }

    /**
     * Adds an upstream at the end, if not present.
     *
     * @param upstream the address
     */
    public void addUpstream(HostAndPort upstream) {
        synchronized (lock) {
            List<HostAndPort> list = addresses();
            if (!list.contains(upstream)) {
                list.add(upstream);
                setUpstreams(list);
            }
        }
    }

    /**
     * Removes an upstream: no new picks; in-flight leases finish.
     *
     * @param upstream the address
     * @return true if it was present
     */
    public boolean removeUpstream(HostAndPort upstream) {
        synchronized (lock) {
            List<HostAndPort> list = addresses();
            boolean present = list.remove(upstream);
            if (present) {
                setUpstreams(list);
            }
            return present;
        }
    }

    /**
     * The current upstreams, in order.
     *
     * @return a snapshot
     */
    public List<Upstream> upstreams() {
        return List.of(pool);
    }

    /**
     * How many upstreams a pick may choose now (not removed, healthy, not passively down).
     *
     * @return the count
     */
    public int availableCount() {
        long now = ticker.read();
        int n = 0;
        for (Upstream u : pool) {
            if (u.isAvailable(now)) {
                n++;
            }
        }
        return n;
    }

    private List<HostAndPort> addresses() {
        List<HostAndPort> list = new ArrayList<>();
        for (Upstream u : pool) {
            list.add(u.address());
        }
        return list;
    }

    // ------------------------------------------------------------------ picking

    /**
     * Picks an upstream for a request without client information.
     *
     * @return the lease; complete it
     * @throws NoUpstreamAvailableException if no upstream is available
     */
    public Lease pick() {
        return pick(PickRequest.none());
    }

    /**
     * Picks an upstream. Never blocks: if none is available it throws at once (use
     * {@link #execute} to wait up to {@code lb_try_duration}).
     *
     * @param request what the policy may look at
     * @return the lease, counted as an active request until completed
     * @throws NoUpstreamAvailableException if no upstream is available
     */
    public Lease pick(PickRequest request) {
        Lease lease = tryPick(request, null);
        if (lease == null) {
            throw noUpstream(null);
        }
        return lease;
    }

    private Lease tryPick(PickRequest request, Set<Upstream> exclude) {
        Objects.requireNonNull(request, "request");
        for (;;) {
            Upstream[] snapshot = pool;
            if (exclude != null && !exclude.isEmpty()) {
                snapshot = without(snapshot, exclude);
            }
            long now = ticker.read();
            Upstream u = selector.select(snapshot, request, now);
            if (u == null) {
                return null;
            }
            u.acquire();
            if (u.removed) {
                // removed between our snapshot and now: the removal published a newer pool
                u.release();
                continue;
            }
            String cookie = null;
            String value = selector.cookieValue(u);
            if (value != null && !value.equals(request.cookie())) {
                cookie = config.policy().cookieName() + "=" + value + "; Path=/";
            }
            return new Lease(this, u, now, cookie);
        }
    }

    private static Upstream[] without(Upstream[] pool, Set<Upstream> exclude) {
        List<Upstream> kept = new ArrayList<>(pool.length);
        for (Upstream u : pool) {
            if (!exclude.contains(u)) {
                kept.add(u);
            }
        }
        return kept.toArray(EMPTY);
    }

    /**
     * Runs a call on a picked upstream, retrying on another upstream while
     * {@code lb_try_duration} has not passed (waiting {@code lb_try_interval} between tries), as
     * Caddy does. Use it for idempotent calls only; see {@link #executeOnce}.
     *
     * @param request what the policy may look at
     * @param call    the call
     * @param <T>     the result type
     * @return the call's result
     * @throws Exception the last failure of the call
     * @throws NoUpstreamAvailableException if no upstream became available within the try duration
     */
    public <T> T execute(PickRequest request, UpstreamCall<T> call) throws Exception {
        return run(request, call, true);
    }

    /**
     * Runs a call once on a picked upstream, without retries (for calls that must not be repeated).
     *
     * @param request what the policy may look at
     * @param call    the call
     * @param <T>     the result type
     * @return the call's result
     * @throws Exception the call's failure
     */
    public <T> T executeOnce(PickRequest request, UpstreamCall<T> call) throws Exception {
        return run(request, call, false);
    }

    private <T> T run(PickRequest request, UpstreamCall<T> call, boolean retry) throws Exception {
        long start = ticker.read();
        long tryNanos = retry ? config.tryDuration().toNanos() : 0;
        Set<Upstream> tried = new java.util.HashSet<>();
        Exception last = null;
        for (;;) {
            Lease lease = tryPick(request, tried);
            if (lease == null && !tried.isEmpty()) {
                tried.clear();   // every upstream was tried: start over with all of them
                lease = tryPick(request, null);
            }
            if (lease != null) {
                tried.add(lease.upstream());
                try {
                    T result = call.call(lease);
                    lease.close();
                    return result;
                } catch (Exception e) {
                    lease.fail();
                    last = e;
                    LOG.debug("balancer {}: call to {} failed: {}", name, lease.upstream(), e.toString());
                } catch (Error e) {
                    lease.fail();   // never leave the active count raised
                    throw e;
                }
            }
            if (ticker.read() - start >= tryNanos) {
                if (last != null) {
                    throw last;
                }
                throw noUpstream(null);
            }
            sleeper.sleep(config.tryInterval());
        }
    }

    private NoUpstreamAvailableException noUpstream(String detail) {
        int upstreams = pool.length;
        int available = availableCount();
        return new NoUpstreamAvailableException(name, upstreams, available, "balancer " + name
                + ": no upstream available (" + upstreams + " upstreams, " + available + " available)"
                + (detail == null ? "" : ": " + detail));
    }

    void completed(Lease lease, int status, boolean failed) {
        Upstream u = lease.upstream();
        u.release();
        long now = ticker.read();
        long rtt = now - lease.startNanos();
        boolean unhealthy = failed || config.unhealthyStatus().contains(status)
                || !config.unhealthyLatency().isZero() && rtt >= config.unhealthyLatency().toNanos();
        if (trackLatency) {
            u.latency().observe(now, rtt, failed || status >= 500);
        }
        for (CompletionRecorder r : recorders) {
            r.completed(u, rtt, failed || status >= 500);
        }
        if (unhealthy && u.passive().record(now)) {
            LOG.warn("balancer {}: upstream {} down for {} after {} failure(s) (last: {})", name, u,
                    config.failDuration(), config.maxFails(), failed ? "no response" : "status " + status
                            + ", " + Duration.ofNanos(rtt).toMillis() + " ms");
            events.publish(new LoadBalancerEvent.UpstreamMarkedDown(name, u.address(), config.failDuration(),
                    failed ? "no response" : "status " + status));
        }
    }

    // ------------------------------------------------------------------ active health checks

    /**
     * Starts the active health checks ({@code health_uri} every {@code health_interval}) in the
     * background; does nothing when {@code health_uri} is not set.
     *
     * @return this
     */
    public LoadBalancer start() {
        if (config.healthUri() == null) {
            return this;
        }
        synchronized (lock) {
            if (healthTask == null) {
                long every = config.healthInterval().toNanos();
                healthTask = scheduler().scheduleWithFixedDelay(() -> {
                    try {
                        checkHealth();
                    } catch (RuntimeException e) {
                        LOG.error("balancer {}: health check round failed", name, e);
                    }
                }, 0, every, TimeUnit.NANOSECONDS);
            }
        }
        return this;
    }

    private ScheduledExecutorService scheduler() {
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "gb-lb-health-" + name);
                t.setDaemon(true);
                return t;
            });
        }
        return scheduler;
    }

    /**
     * Runs one round of active checks on every upstream now, without waiting for them: the
     * returned future completes when all have answered or timed out. Picks go on meanwhile.
     *
     * @return completes when the round is done
     * @throws IllegalStateException if {@code health_uri} is not set
     */
    public CompletableFuture<Void> checkHealth() {
        String uri = config.healthUri();
        if (uri == null) {
            throw new IllegalStateException("balancer " + name + ": active health checks need health_uri");
        }
        if (probe == null) {
            probe = HealthProbe.http();
        }
        Upstream[] snapshot = pool;
        CompletableFuture<?>[] all = new CompletableFuture<?>[snapshot.length];
        for (int i = 0; i < snapshot.length; i++) {
            Upstream u = snapshot[i];
            CompletableFuture<Integer> f;
            try {
                f = probe.probe(u.address(), uri, config.healthTimeout()).toCompletableFuture()
                        .orTimeout(config.healthTimeout().toNanos(), TimeUnit.NANOSECONDS);
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            all[i] = f.handle((status, error) -> {
                checked(u, status, error);
                return null;
            });
        }
        return CompletableFuture.allOf(all);
    }

    private void checked(Upstream u, Integer status, Throwable error) {
        boolean pass = error == null && status != null && config.isExpectedHealthStatus(status);
        String why = error != null ? String.valueOf(unwrap(error)) : "status " + status;
        LoadBalancerEvent event = null;
        synchronized (u) {
            if (pass) {
                u.consecutiveFails = 0;
                u.consecutivePasses++;
                if (!u.activeHealthy && u.consecutivePasses >= config.healthPasses()) {
                    u.activeHealthy = true;
                    event = new LoadBalancerEvent.UpstreamHealthy(name, u.address(), why);
                }
            } else {
                u.consecutivePasses = 0;
                u.consecutiveFails++;
                if (u.activeHealthy && u.consecutiveFails >= config.healthFails()) {
                    u.activeHealthy = false;
                    event = new LoadBalancerEvent.UpstreamUnhealthy(name, u.address(), why);
                }
            }
        }
        if (event != null) {
            if (pass) {
                LOG.info("balancer {}: upstream {} healthy again ({})", name, u, why);
            } else {
                LOG.warn("balancer {}: upstream {} unhealthy ({})", name, u, why);
            }
            events.publish(event);
        }
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof java.util.concurrent.TimeoutException ? new java.util.concurrent.TimeoutException("timed out") : t;
    }

    // ------------------------------------------------------------------ events, lifecycle

    /**
     * Adds a listener of upstream events ({@link LoadBalancerEvent}: added, removed, unhealthy,
     * healthy, marked down). Listeners run on the thread that caused the event (a caller's, or the
     * health checks') and must not block; one that throws is logged and skipped, it never breaks
     * a pick or a check.
     *
     * @param listener the listener
     */
    public void addListener(EventListener<? super LoadBalancerEvent> listener) {
        events.addListener(listener);
    }

    /**
     * Removes a listener.
     *
     * @param listener the listener
     * @return whether it was a listener
     */
    public boolean removeListener(EventListener<? super LoadBalancerEvent> listener) {
        return events.removeListener(listener);
    }

    void addRecorder(CompletionRecorder recorder) {
        synchronized (lock) {
            CompletionRecorder[] now = java.util.Arrays.copyOf(recorders, recorders.length + 1);
            now[now.length - 1] = Objects.requireNonNull(recorder, "recorder");
            recorders = now;
        }
    }

    /** Stops the active health checks (and the balancer's own scheduler thread, if it made one). */
    @Override
    public void close() {
        synchronized (lock) {
            if (healthTask != null) {
                healthTask.cancel(false);
                healthTask = null;
            }
            if (ownScheduler && scheduler != null) {
                scheduler.shutdownNow();
                scheduler = null;
            }
        }
    }

    @Override
    public String toString() {
        return "LoadBalancer{" + name + ", " + config.policy() + ", " + List.of(pool) + "}";
    }

    /** Builds a {@link LoadBalancer}. */
    public static final class Builder {
        private final String name;
        private LoadBalancerConfig config = LoadBalancerConfig.ofDefaults();
        private Ticker ticker = Ticker.system();
        private Sleeper sleeper = Sleeper.system();
        private HealthProbe probe;
        private ScheduledExecutorService scheduler;
        private List<HostAndPort> upstreams = List.of();

        private Builder(String name) {
            Checks.require(name != null && !name.isBlank(), "balancer name", "a non-blank text", name);
            this.name = name;
        }

        /**
         * The configuration (default {@link LoadBalancerConfig#ofDefaults()}).
         *
         * @param config the configuration
         * @return this
         */
        public Builder config(LoadBalancerConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * The initial upstreams.
         *
         * @param upstreams the addresses, in order
         * @return this
         */
        public Builder upstreams(Collection<HostAndPort> upstreams) {
            this.upstreams = List.copyOf(upstreams);
            return this;
        }

        /**
         * The time source for latencies, passive failures and try durations (default the system's).
         *
         * @param ticker the ticker
         * @return this
         */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * How to wait between tries (default {@link Thread#sleep}).
         *
         * @param sleeper the sleeper
         * @return this
         */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /**
         * The active health check (default {@link HealthProbe#http()}, made at the first check).
         *
         * @param probe the probe
         * @return this
         */
        public Builder healthProbe(HealthProbe probe) {
            this.probe = Objects.requireNonNull(probe, "probe");
            return this;
        }

        /**
         * The scheduler for active checks (default: a daemon thread of the balancer's own, stopped
         * by {@link LoadBalancer#close()}); a given scheduler is not shut down by the balancer.
         *
         * @param scheduler the scheduler
         * @return this
         */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Builds the balancer; active checks start with {@link LoadBalancer#start()}.
         *
         * @return the balancer
         */
        public LoadBalancer build() {
            return new LoadBalancer(this);
        }
    }
}
