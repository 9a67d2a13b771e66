package io.generalbots.balance;

import java.time.Duration;
import java.util.Objects;

import io.generalbots.scaling.config.HostAndPort;

/**
 * What happened to an upstream of a {@link LoadBalancer}, for its listeners
 * ({@link LoadBalancer#addListener}). Every event names the balancer and the upstream; the records
 * are the cases (Java 17: tell them apart with {@code instanceof}).
 */
public sealed interface LoadBalancerEvent {

    /**
     * The balancer's name.
     *
     * @return the name
     */
    String balancer();

    /**
     * The upstream concerned.
     *
     * @return its address
     */
    HostAndPort upstream();

    /**
     * The upstream joined the set (healthy until checked).
     *
     * @param balancer the balancer's name
     * @param upstream the upstream
     */
    record UpstreamAdded(String balancer, HostAndPort upstream) implements LoadBalancerEvent {
        /**
         * Creates the event.
         *
         * @param balancer the balancer's name
         * @param upstream the upstream
         */
        public UpstreamAdded {
            Objects.requireNonNull(balancer, "balancer");
            Objects.requireNonNull(upstream, "upstream");
        }
    }

    /**
     * The upstream left the set: no new picks; its in-flight calls still finish.
     *
     * @param balancer the balancer's name
     * @param upstream the upstream
     * @param inFlight its calls still in flight when it left
     */
    record UpstreamRemoved(String balancer, HostAndPort upstream, int inFlight) implements LoadBalancerEvent {
        /**
         * Creates the event.
         *
         * @param balancer the balancer's name
         * @param upstream the upstream
         * @param inFlight calls in flight
         */
        public UpstreamRemoved {
            Objects.requireNonNull(balancer, "balancer");
            Objects.requireNonNull(upstream, "upstream");
        }
    }

    /**
     * Active health checks marked the upstream unhealthy ({@code health_fails} failed checks in a row).
     *
     * @param balancer the balancer's name
     * @param upstream the upstream
     * @param reason   the last check's outcome, e.g. {@code status 503} or the connection error
     */
    record UpstreamUnhealthy(String balancer, HostAndPort upstream, String reason) implements LoadBalancerEvent {
        /**
         * Creates the event.
         *
         * @param balancer the balancer's name
         * @param upstream the upstream
         * @param reason   the last check's outcome
         */
        public UpstreamUnhealthy {
            Objects.requireNonNull(balancer, "balancer");
            Objects.requireNonNull(upstream, "upstream");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Active health checks marked the upstream healthy again ({@code health_passes} passed checks in a row).
     *
     * @param balancer the balancer's name
     * @param upstream the upstream
     * @param reason   the last check's outcome, e.g. {@code status 200}
     */
    record UpstreamHealthy(String balancer, HostAndPort upstream, String reason) implements LoadBalancerEvent {
        /**
         * Creates the event.
         *
         * @param balancer the balancer's name
         * @param upstream the upstream
         * @param reason   the last check's outcome
         */
        public UpstreamHealthy {
            Objects.requireNonNull(balancer, "balancer");
            Objects.requireNonNull(upstream, "upstream");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Passive checks marked the upstream down: {@code max_fails} failed calls within
     * {@code fail_duration}; it is not picked for {@code fail_duration}.
     *
     * @param balancer the balancer's name
     * @param upstream the upstream
     * @param duration how long it is out ({@code fail_duration})
     * @param reason   the last failure, e.g. {@code status 502} or {@code no response}
     */
    record UpstreamMarkedDown(String balancer, HostAndPort upstream, Duration duration, String reason)
            implements LoadBalancerEvent {
        /**
         * Creates the event.
         *
         * @param balancer the balancer's name
         * @param upstream the upstream
         * @param duration how long it is out
         * @param reason   the last failure
         */
        public UpstreamMarkedDown {
            Objects.requireNonNull(balancer, "balancer");
            Objects.requireNonNull(upstream, "upstream");
            Objects.requireNonNull(duration, "duration");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
