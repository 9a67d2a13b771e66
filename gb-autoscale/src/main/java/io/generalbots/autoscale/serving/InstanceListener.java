package io.generalbots.autoscale.serving;

/**
 * Receives a {@link BotInstance}'s events. A listener that throws is logged and never breaks the
 * instance; listeners are called on the thread that caused the event (a request's, or the
 * control call's), so they must be quick.
 */
@FunctionalInterface
public interface InstanceListener {

    /**
     * One event.
     *
     * @param event the event
     */
    void onEvent(InstanceEvent event);
}
