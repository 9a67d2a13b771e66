package io.generalbots.balance;

import io.generalbots.scaling.config.HostAndPort;

/**
 * Something that happened to an upstream of a balancer, for {@link LoadBalancer#onEvent}.
 *
 * @param balancer the balancer's name
 * @param type     what happened
 * @param upstream the upstream
 * @param detail   a human-readable reason, e.g. the failed check's status
 */
public record LoadBalancerEvent(String balancer, Type type, HostAndPort upstream, String detail) {

    /** What happened. */
    public enum Type {
        /** The upstream joined the set. */
        ADDED,
        /** The upstream left the set; its in-flight calls still finish. */
        REMOVED,
        /** Active checks marked it unhealthy. */
        UNHEALTHY,
        /** Active checks marked it healthy again. */
        HEALTHY,
        /** Passive checks marked it down for {@code fail_duration}. */
        PASSIVE_DOWN
    }
}
