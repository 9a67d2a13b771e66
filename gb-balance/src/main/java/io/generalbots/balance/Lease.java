package io.generalbots.balance;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import io.generalbots.scaling.config.HostAndPort;

/**
 * One picked upstream, counted as an active request until the lease completes. Complete it once
 * with {@link #complete(int)} (a response arrived), {@link #fail()} (no response) or
 * {@link #close()} (done, nothing to report); later calls are ignored, so the active count never
 * goes negative. Use it in try-with-resources.
 */
public final class Lease implements AutoCloseable {

    private final LoadBalancer balancer;
    private final Upstream upstream;
    private final long startNanos;
    private final String setCookie;
    private static final AtomicIntegerFieldUpdater<Lease> DONE = AtomicIntegerFieldUpdater.newUpdater(Lease.class, "done");
    private volatile int done;
    private volatile int status = -1;

    Lease(LoadBalancer balancer, Upstream upstream, long startNanos, String setCookie) {
        this.balancer = balancer;
        this.upstream = upstream;
        this.startNanos = startNanos;
        this.setCookie = setCookie;
    }

    /**
     * The picked upstream.
     *
     * @return the upstream
     */
    public Upstream upstream() {
        return upstream;
    }

    /**
     * The picked upstream's address.
     *
     * @return the address
     */
    public HostAndPort address() {
        return upstream.address();
    }

    /**
     * For the {@code cookie} policy: the {@code Set-Cookie} header value to send to the client
     * when its request had no valid cookie for this upstream (as Caddy: {@code lb=HMAC; Path=/}).
     *
     * @return the header value, or empty when the client's cookie already names this upstream
     */
    public Optional<String> setCookie() {
        return Optional.ofNullable(setCookie);
    }

    /**
     * Records the response's HTTP status for the completion that follows (used by
     * {@link UpstreamCall}s inside {@link LoadBalancer#execute}).
     *
     * @param httpStatus the status
     */
    public void status(int httpStatus) {
        this.status = httpStatus;
    }

    /**
     * Completes with a response: its latency and status feed the passive health check and the
     * latency estimate.
     *
     * @param httpStatus the response's status
     */
    public void complete(int httpStatus) {
        if (DONE.compareAndSet(this, 0, 1)) {
            balancer.completed(this, httpStatus, false);
        }
    }

    /** Completes without a response (connection refused, timeout, ...): counts as a failure. */
    public void fail() {
        if (DONE.compareAndSet(this, 0, 1)) {
            balancer.completed(this, 0, true);
        }
    }

    /** Completes with the status given to {@link #status(int)}, or as a success without one. */
    @Override
    public void close() {
        if (DONE.compareAndSet(this, 0, 1)) {
            balancer.completed(this, status, false);
        }
    }

    long startNanos() {
        return startNanos;
    }

    @Override
    public String toString() {
        return "Lease{" + upstream + "}";
    }
}
