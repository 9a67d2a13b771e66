package io.generalbots.failover.postgres;

/** How the library finds the current primary of a PostgreSQL cluster. */
public enum PrimaryDiscoveryMode {
    /**
     * Ask each node's Patroni REST API: {@code GET /primary} answers 200 only on the leader holding
     * the lock. Connections then go to that one host (with {@code targetServerType=primary} as a
     * second guard).
     */
    PATRONI,
    /**
     * No API: pgjdbc tries the hosts of a multi-host URL in order with
     * {@code targetServerType=primary} each time the pool opens a connection.
     */
    MULTIHOST,
    /** One fixed host; errors still evict the pool, but nothing is looked for elsewhere. */
    NONE
}
