package io.generalbots.autoscale;

import java.util.Map;

import io.generalbots.scaling.event.EventListener;

/**
 * Receives the scaler's events and, after every check, what it saw: gb-scaling's one listener
 * shape ({@link EventListener}) plus {@link #onCheck}. Called on the scaler's thread: keep it
 * short. An exception thrown by a listener is logged and ignored.
 */
@FunctionalInterface
public interface ScalingListener extends EventListener<ScalingEvent> {

    /**
     * An event.
     *
     * @param event the event
     */
    @Override
    void onEvent(ScalingEvent event);

    /**
     * After each check by the leader: the instance count and each instance's metrics.
     *
     * @param instances instances not draining (starting and ready)
     * @param metrics   the metrics the source returned, by instance id
     */
    default void onCheck(int instances, Map<String, InstanceMetrics> metrics) {
    }
}
