/**
 * PostgreSQL failover from the application's side: find the current primary (Patroni's REST API or
 * pgjdbc's multi-host {@code targetServerType=primary}), keep a HikariCP pool pointed at it, recover
 * by itself when another node is promoted, and report what happened (events, log lines, a
 * Micrometer counter, a {@code database} health check).
 *
 * <p>Entry point: {@link io.generalbots.failover.postgres.FailoverDataSource}, configured by
 * {@link io.generalbots.failover.postgres.PostgresFailoverConfig} (in code) or
 * {@link io.generalbots.failover.postgres.PostgresFailoverSettings} ({@code config.csv}).
 * Needs HikariCP and the PostgreSQL driver on the class path (optional dependencies of gb-failover).
 */
package io.generalbots.failover.postgres;
