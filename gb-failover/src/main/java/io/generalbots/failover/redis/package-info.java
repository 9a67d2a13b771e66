/**
 * Redis connections for the seed's {@code cache-*} keys (standalone, sentinel or cluster) with
 * Lettuce's unsafe defaults replaced: topology refresh on, timeouts on every API, a bounded
 * request queue, commands rejected while disconnected, TCP keepalive. Lettuce is optional: add
 * {@code io.lettuce:lettuce-core} to use this package.
 */
package io.generalbots.failover.redis;
