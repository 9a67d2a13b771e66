package io.generalbots.failover.health;

import java.util.Objects;

import io.generalbots.scaling.health.HealthCheckResult;
import io.generalbots.scaling.health.HealthStatus;

/**
 * What changed in a {@link HealthAggregator}'s view of the instance, for its listeners
 * ({@link HealthAggregator#addListener}): a check's result, and the overall status that follows
 * from the results. The records are the cases (Java 17: tell them apart with {@code instanceof}).
 */
public sealed interface HealthEvent {

    /**
     * A check's result changed its word ({@code ok}, {@code pending}, {@code timeout},
     * {@code error}, {@code open}, …); logged at the same time (WARN when it goes bad). Published
     * before the {@link StatusChanged} it may cause.
     *
     * @param check the check's name
     * @param from  the result before ({@code pending} before the first round)
     * @param to    the result now
     */
    record CheckChanged(String check, HealthCheckResult from, HealthCheckResult to) implements HealthEvent {
        /**
         * Creates the event.
         *
         * @param check the check's name
         * @param from  the result before
         * @param to    the result now
         */
        public CheckChanged {
            Objects.requireNonNull(check, "check");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }
    }

    /**
     * The overall status the checks give changed (what {@code /api/health} serves and a proxy acts
     * on: 503 when {@link HealthStatus#UNHEALTHY}; a draining instance's report says so whatever
     * the checks give, and that is not an event of the aggregator). The status before the first
     * round is the one with every check {@code pending}.
     *
     * @param from the status before
     * @param to   the status now
     */
    record StatusChanged(HealthStatus from, HealthStatus to) implements HealthEvent {
        /**
         * Creates the event.
         *
         * @param from the status before
         * @param to   the status now
         */
        public StatusChanged {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }
    }
}
