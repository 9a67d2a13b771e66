/**
 * The health aggregator behind the seed's {@code /api/health} JSON: checks of the database, the
 * cache, HTTP dependencies and the host run in parallel with their own timeouts, refreshed in the
 * background, reported as healthy, degraded or unhealthy, and served with {@code /live} and
 * {@code /ready} on the JDK HttpServer.
 */
package io.generalbots.failover.health;
