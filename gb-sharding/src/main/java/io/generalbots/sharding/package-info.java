/**
 * Shard routers (tenant, hash, range, geo) over per-shard HikariCP pools, tenant database auto-create, rebalancing, shard balance, and Qdrant collection sharding.
 */
package io.generalbots.sharding;
