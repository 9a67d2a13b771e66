/**
 * The knowledge-search interface that gb-sharding's Qdrant search and gb-failover's keyword
 * fallbacks both implement, so that neither module depends on the other.
 */
package io.generalbots.scaling.search;
