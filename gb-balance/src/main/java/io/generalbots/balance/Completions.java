package io.generalbots.balance;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.generalbots.scaling.Ticker;
import io.generalbots.scaling.event.EventPublisher;

/**
 * What a completed lease teaches the balancer: its upstream leaves the active count, the latency
 * feeds the peak-EWMA policy, the recorders (the meters) are told, and a failure, an unhealthy
 * status or a slow answer counts toward the passive health check ({@code max_fails} within
 * {@code fail_duration} marks the upstream down, logged and published).
 *
 * <p>Thread-safe; runs on the caller's thread, without a lock of its own.
 */
final class Completions {

    private static final Logger LOG = LoggerFactory.getLogger(LoadBalancer.class);

    /**
     * Told of every completed lease; implemented by {@link LoadBalancerMetrics}. Runs on the
     * caller's thread: must not block or allocate.
     */
    interface Recorder {
        /**
         * One completed request.
         *
         * @param upstream the upstream
         * @param nanos    from the pick to the completion
         * @param failure  no response, or a 5xx status
         */
        void completed(Upstream upstream, long nanos, boolean failure);
    }

    private final String name;
    private final LoadBalancerConfig config;
    private final Ticker ticker;
    private final boolean trackLatency;
    private final EventPublisher<LoadBalancerEvent> events;
    private volatile Recorder[] recorders = new Recorder[0];

    /**
     * @param name         the balancer's name
     * @param config       the configuration
     * @param ticker       the time source
     * @param trackLatency whether the policy reads latencies (peak EWMA)
     * @param events       where markings are published
     */
    Completions(String name, LoadBalancerConfig config, Ticker ticker, boolean trackLatency,
                EventPublisher<LoadBalancerEvent> events) {
        this.name = name;
        this.config = config;
        this.ticker = ticker;
        this.trackLatency = trackLatency;
        this.events = events;
    }

    /**
     * Adds a recorder.
     *
     * @param recorder the recorder
     */
    synchronized void addRecorder(Recorder recorder) {
        Recorder[] now = Arrays.copyOf(recorders, recorders.length + 1);
        now[now.length - 1] = Objects.requireNonNull(recorder, "recorder");
        recorders = now;
    }

    /**
     * One lease completed.
     *
     * @param lease  the lease
     * @param status the HTTP status (0 when failed)
     * @param failed no response
     */
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
        for (Recorder r : recorders) {
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
}
