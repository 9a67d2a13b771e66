package io.generalbots.autoscale.serving;

import io.generalbots.scaling.event.EventListener;

/**
 * Receives a {@link BotInstance}'s events: gb-scaling's one listener shape
 * ({@link EventListener}) for {@link InstanceEvent}. A listener that throws is logged and never
 * breaks the instance; listeners are called on the thread that caused the event (a request's, or
 * the control call's), so they must be quick.
 */
@FunctionalInterface
public interface InstanceListener extends EventListener<InstanceEvent> {

    /**
     * One event.
     *
     * @param event the event
     */
    @Override
    void onEvent(InstanceEvent event);
}
