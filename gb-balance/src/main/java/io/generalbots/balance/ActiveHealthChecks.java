package io.generalbots.balance;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.generalbots.scaling.DaemonThreads;
import io.generalbots.scaling.event.EventPublisher;

/**
 * The active health checks of a balancer, as Caddy's {@code health_uri}: every
 * {@code health_interval} each upstream is probed; {@code health_fails} failures in a row take it
 * out, {@code health_passes} passes bring it back, each transition logged and published.
 *
 * <p>Threads: the rounds run on the host's scheduler when one is given (never shut down here), or
 * else on a single-thread scheduler of its own, made at the first {@link #start()} from the host's
 * {@link ThreadFactory} or, without one, as a daemon thread named {@code gb-lb-health-NAME}, and
 * shut down by {@link #close()}. The probes themselves are asynchronous: a round never waits for
 * an upstream.
 */
final class ActiveHealthChecks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LoadBalancer.class);

    private final String name;
    private final LoadBalancerConfig config;
    private final Supplier<Upstream[]> upstreams;
    private final EventPublisher<LoadBalancerEvent> events;
    private final ScheduledExecutorService hostScheduler;
    private final ThreadFactory threadFactory;
    private volatile HealthProbe probe;
    private final Object lock = new Object();
    private ScheduledExecutorService ownScheduler;
    private ScheduledFuture<?> task;

    /**
     * @param name          the balancer's name
     * @param config        the configuration ({@code health_*})
     * @param upstreams     the upstreams of the moment
     * @param events        where transitions are published
     * @param probe         the probe, or null for {@link HealthProbe#http()} made at the first round
     * @param hostScheduler the host's scheduler, or null
     * @param threadFactory the host's thread factory for an own scheduler, or null
     */
    ActiveHealthChecks(String name, LoadBalancerConfig config, Supplier<Upstream[]> upstreams,
                       EventPublisher<LoadBalancerEvent> events, HealthProbe probe,
                       ScheduledExecutorService hostScheduler, ThreadFactory threadFactory) {
        this.name = name;
        this.config = config;
        this.upstreams = upstreams;
        this.events = events;
        this.probe = probe;
        this.hostScheduler = hostScheduler;
        this.threadFactory = threadFactory;
    }

    /** Schedules the rounds, the first one now; does nothing if they are scheduled already. */
    void start() {
        synchronized (lock) {
            if (task != null) {
                return;
            }
            long every = config.healthInterval().toNanos();
            task = scheduler().scheduleWithFixedDelay(() -> {
                try {
                    round();
                } catch (RuntimeException e) {
                    LOG.error("balancer {}: health check round failed", name, e);
                }
            }, 0, every, TimeUnit.NANOSECONDS);
        }
    }

    private ScheduledExecutorService scheduler() {
        if (hostScheduler != null) {
            return hostScheduler;
        }
        if (ownScheduler == null) {
            ownScheduler = Executors.newSingleThreadScheduledExecutor(threadFactory != null ? threadFactory
                    : DaemonThreads.named("gb-lb-health-" + name));
        }
        return ownScheduler;
    }

    /**
     * One round: probes every upstream now without waiting.
     *
     * @return completes when every upstream has answered or timed out
     */
    CompletableFuture<Void> round() {
        String uri = config.healthUri();
        HealthProbe p = probe;
        if (p == null) {
            p = HealthProbe.http();
            probe = p;
        }
        Upstream[] snapshot = upstreams.get();
        CompletableFuture<?>[] all = new CompletableFuture<?>[snapshot.length];
        for (int i = 0; i < snapshot.length; i++) {
            Upstream u = snapshot[i];
            CompletableFuture<Integer> f;
            try {
                f = p.probe(u.address(), uri, config.healthTimeout()).toCompletableFuture()
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

    /** Counts one probe's outcome and publishes a transition. */
    void checked(Upstream u, Integer status, Throwable error) {
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
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof TimeoutException ? new TimeoutException("timed out") : t;
    }

    /** Stops the rounds, and the own scheduler if one was made (never the host's). */
    @Override
    public void close() {
        synchronized (lock) {
            if (task != null) {
                task.cancel(false);
                task = null;
            }
            if (ownScheduler != null) {
                ownScheduler.shutdownNow();
                ownScheduler = null;
            }
        }
    }
}
