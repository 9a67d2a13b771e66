/**
 * Circuit breakers, health aggregation, graceful degradation, Redis standalone / cluster / sentinel connections and PostgreSQL primary discovery.
 */
package io.generalbots.failover;
