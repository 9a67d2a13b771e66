package io.generalbots.balance;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

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
 *
 * <p>Threads: the active checks run on the host's scheduler ({@link Builder#scheduler}), or on a
 * scheduler of the balancer's own, whose one thread comes from the host's
 * {@link Builder#threadFactory} or is a daemon thread named {@code gb-lb-health-NAME};
 * {@link #close()} shuts down only the balancer's own.
 *
 * <p>This class is the facade (picks and retries); its other jobs are package-private parts: the
 * upstream set ({@code UpstreamSet}), what a completed lease teaches ({@code Completions}: passive
 * health, latency, meters) and the active health checks ({@code ActiveHealthChecks}).
 */
public final class LoadBalancer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LoadBalancer.class);

    private final String name;
    private final LoadBalancerConfig config;
    private final UpstreamSelector selector;
    private final Ticker ticker;
    private final Sleeper sleeper;
    private final EventPublisher<LoadBalancerEvent> events;
    private final UpstreamSet upstreamSet;
    private final Completions completions;
    private final ActiveHealthChecks health;

    private LoadBalancer(Builder b) {
        this.name = b.name;
        this.events = EventPublisher.of("balancer " + b.name);
        this.config = b.config;
        this.selector = config.policy().newSelector();
        this.ticker = b.ticker;
        this.sleeper = b.sleeper;
        this.upstreamSet = new UpstreamSet(name, config);
        this.completions = new Completions(name, config, ticker,
                config.policy().kind() == LoadBalancingPolicy.Kind.PEAK_EWMA, events);
        this.health = new ActiveHealthChecks(name, config, upstreamSet::snapshot, events, b.probe, b.scheduler,
                b.threadFactory);
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
        announce(upstreamSet.set(upstreams));
    }

    private void announce(List<LoadBalancerEvent> changes) {
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
        announce(upstreamSet.add(upstream));
    }

    /**
     * Removes an upstream: no new picks; in-flight leases finish.
     *
     * @param upstream the address
     * @return true if it was present
     */
    public boolean removeUpstream(HostAndPort upstream) {
        List<LoadBalancerEvent> changes = upstreamSet.remove(upstream);
        announce(changes);
        return !changes.isEmpty();
    }

    /**
     * The current upstreams, in order.
     *
     * @return a snapshot
     */
    public List<Upstream> upstreams() {
        return List.of(upstreamSet.snapshot());
    }

    /**
     * How many upstreams a pick may choose now (not removed, healthy, not passively down).
     *
     * @return the count
     */
    public int availableCount() {
        return upstreamSet.available(ticker.read());
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
            Upstream[] snapshot = upstreamSet.snapshot();
            if (exclude != null && !exclude.isEmpty()) {
                snapshot = UpstreamSet.without(snapshot, exclude);
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
        Set<Upstream> tried = new HashSet<>();
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
        int upstreams = upstreamSet.snapshot().length;
        int available = availableCount();
        return new NoUpstreamAvailableException(name, upstreams, available, "balancer " + name
                + ": no upstream available (" + upstreams + " upstreams, " + available + " available)"
                + (detail == null ? "" : ": " + detail));
    }

    void completed(Lease lease, int status, boolean failed) {
        completions.completed(lease, status, failed);
    }

    // ------------------------------------------------------------------ active health checks

    /**
     * Starts the active health checks ({@code health_uri} every {@code health_interval}) in the
     * background; does nothing when {@code health_uri} is not set.
     *
     * @return this
     */
    public LoadBalancer start() {
        if (config.healthUri() != null) {
            health.start();
        }
        return this;
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
        return health.round();
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

    void addRecorder(Completions.Recorder recorder) {
        completions.addRecorder(recorder);
    }

    /**
     * Stops the active health checks, and the balancer's own scheduler thread if it made one; a
     * scheduler the host gave ({@link Builder#scheduler}) is left running.
     */
    @Override
    public void close() {
        health.close();
    }

    @Override
    public String toString() {
        return "LoadBalancer{" + name + ", " + config.policy() + ", " + upstreams() + "}";
    }

    /** Builds a {@link LoadBalancer}. */
    public static final class Builder {
        private final String name;
        private LoadBalancerConfig config = LoadBalancerConfig.ofDefaults();
        private Ticker ticker = Ticker.system();
        private Sleeper sleeper = Sleeper.system();
        private HealthProbe probe;
        private ScheduledExecutorService scheduler;
        private ThreadFactory threadFactory;
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
         * The thread factory of the balancer's own health-check scheduler, when no
         * {@link #scheduler} is given (default: a daemon thread named {@code gb-lb-health-NAME}).
         * The scheduler made with it is the balancer's and is shut down by
         * {@link LoadBalancer#close()}.
         *
         * @param threadFactory the host's thread factory
         * @return this
         */
        public Builder threadFactory(ThreadFactory threadFactory) {
            this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
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
