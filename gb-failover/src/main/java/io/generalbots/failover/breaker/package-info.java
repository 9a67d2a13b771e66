/**
 * Circuit breakers on Resilience4j configured from the {@code circuit-breaker-*} keys: a
 * {@link io.generalbots.failover.breaker.BreakerRegistry} of named
 * {@link io.generalbots.failover.breaker.Breaker}s (the seed's "open after N consecutive
 * failures, half-open after the timeout"), their events and their meters.
 */
package io.generalbots.failover.breaker;
