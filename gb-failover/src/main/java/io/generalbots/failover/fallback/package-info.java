/**
 * Graceful degradation: the seed's {@code fallback-*} chains for the LLM (another provider, then a
 * canned answer), the knowledge search (Qdrant, then keyword search in PostgreSQL or memory) and
 * the cache (Redis, then memory), each step behind its own breaker.
 */
package io.generalbots.failover.fallback;
