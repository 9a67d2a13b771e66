package io.generalbots.balance;

import java.util.concurrent.atomic.AtomicInteger;

import io.generalbots.scaling.config.HostAndPort;

/**
 * One upstream of a {@link LoadBalancer}: its address and the live state that the policies read
 * (active requests, health, latency). Created and owned by the balancer; policies and listeners
 * only read it. Thread-safe: every field a pick reads is a volatile or atomic, so a pick never
 * waits for a health check or for another caller.
 */
public final class Upstream {

    private final HostAndPort address;
    private final String dial;
    private final long hash;
    private final AtomicInteger active = new AtomicInteger();
    private final PassiveFailures passive;
    private final PeakEwma latency;
    volatile boolean removed;
    volatile boolean activeHealthy = true;
    int consecutivePasses;
    int consecutiveFails;

    Upstream(HostAndPort address, LoadBalancerConfig config) {
        this.address = address;
        this.dial = address.toString();
        this.hash = Hashes.mix64(Hashes.fnv1a64(dial));
        this.passive = new PassiveFailures(config.maxFails(), config.failDuration().toNanos());
        this.latency = new PeakEwma(config.ewmaDecay().toNanos(), config.errorPenalty().toNanos());
    }

    /**
     * The address, as given to the balancer.
     *
     * @return the address
     */
    public HostAndPort address() {
        return address;
    }

    /**
     * The address as {@code host:port} (what Caddy calls the dial address).
     *
     * @return the dial address
     */
    public String dial() {
        return dial;
    }

    /**
     * Requests picked for this upstream and not yet completed (what {@code least_conn} counts).
     *
     * @return the count, never negative
     */
    public int activeRequests() {
        return active.get();
    }

    /**
     * Whether the active health check currently counts this upstream as healthy (true until a
     * check says otherwise).
     *
     * @return the active health state
     */
    public boolean isHealthy() {
        return activeHealthy;
    }

    /**
     * Whether the upstream has been removed from its balancer (its in-flight calls may still run).
     *
     * @return true once removed
     */
    public boolean isRemoved() {
        return removed;
    }

    /**
     * Whether a pick may choose this upstream at the given time: not removed, healthy by the
     * active check, and not down by the passive check ({@code max_fails} failures within
     * {@code fail_duration}).
     *
     * @param nowNanos the balancer's ticker reading
     * @return true if available
     */
    public boolean isAvailable(long nowNanos) {
        return !removed && activeHealthy && !passive.isDown(nowNanos);
    }

    /**
     * The latency estimate (peak EWMA, decayed to the given time) in nanoseconds; 0 before the
     * first observation, and always 0 unless the balancer's policy is {@code peak_ewma} (the only
     * one that reads it, so the others skip the bookkeeping). Failures count as at least the
     * configured error penalty.
     *
     * @param nowNanos the balancer's ticker reading
     * @return the estimate
     */
    public double latencyEstimateNanos(long nowNanos) {
        return latency.estimate(nowNanos);
    }

    long hash() {
        return hash;
    }

    int acquire() {
        return active.incrementAndGet();
    }

    void release() {
        active.decrementAndGet();
    }

    PassiveFailures passive() {
        return passive;
    }

    PeakEwma latency() {
        return latency;
    }

    @Override
    public String toString() {
        return dial;
    }
}
