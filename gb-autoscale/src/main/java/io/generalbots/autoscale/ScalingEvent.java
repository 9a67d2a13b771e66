package io.generalbots.autoscale;

import java.time.Instant;

/**
 * What the scaler did or could not do, for {@link ScalingListener}s. Every event names the
 * scaler, the rule that decided and the numbers behind it, and the leader's fencing token.
 */
public sealed interface ScalingEvent {

    /**
     * When it happened (the scaler's clock).
     *
     * @return the time
     */
    Instant at();

    /**
     * The scaler's name.
     *
     * @return the name
     */
    String scaler();

    /**
     * The fencing token of the leadership term that acted.
     *
     * @return the token
     */
    long fencingToken();

    /**
     * Instances were launched.
     *
     * @param at           when
     * @param scaler       the scaler
     * @param fencingToken the term
     * @param from         instances before (starting and ready, not draining)
     * @param to           instances after
     * @param rule         the key of the rule or threshold that decided, e.g. {@code scale-cpu-threshold}
     * @param reason       the numbers behind it
     */
    record ScaledUp(Instant at, String scaler, long fencingToken, int from, int to, String rule, String reason)
            implements ScalingEvent {
    }

    /**
     * Instances were taken out of the proxy and set draining (destroyed after the drain).
     *
     * @param at           when
     * @param scaler       the scaler
     * @param fencingToken the term
     * @param from         instances before
     * @param to           instances after
     * @param rule         the deciding rule's key
     * @param reason       the numbers behind it
     */
    record ScaledDown(Instant at, String scaler, long fencingToken, int from, int to, String rule, String reason)
            implements ScalingEvent {
    }

    /**
     * More instances were wanted than {@code scale-max-instances} allows (published once each time
     * the cluster reaches the maximum while wanting more).
     *
     * @param at           when
     * @param scaler       the scaler
     * @param fencingToken the term
     * @param wanted       the unclamped recommendation
     * @param max          {@code scale-max-instances}
     * @param rule         the deciding rule's key
     * @param reason       the numbers behind it
     */
    record MaxInstancesReached(Instant at, String scaler, long fencingToken, int wanted, int max, String rule,
                               String reason) implements ScalingEvent {
    }

    /**
     * An instance operation failed; the state stays consistent and the operation is retried
     * after {@code scale-cooldown-seconds} (a launch) or at the next check (a destroy).
     *
     * @param at           when
     * @param scaler       the scaler
     * @param fencingToken the term
     * @param operation    {@code launch}, {@code drain}, {@code destroy} or {@code list}
     * @param instance     the instance concerned, or null for launch and list
     * @param error        the error message
     */
    record ScalingFailed(Instant at, String scaler, long fencingToken, String operation, String instance,
                         String error) implements ScalingEvent {
    }
}
