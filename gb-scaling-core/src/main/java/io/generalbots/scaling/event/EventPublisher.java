package io.generalbots.scaling.event;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of one component and the guarded dispatch every component uses to tell them of
 * its events. A component keeps one publisher, hands {@link #addListener} and
 * {@link #removeListener} through to its users and calls {@link #publish} for each event.
 *
 * <p>Guarded dispatch: {@link #publish} calls every listener in the order they were added; an
 * exception a listener throws (an {@link Exception}, also a checked one thrown sneakily) is
 * logged at WARN as {@code COMPONENT: listener LISTENER failed on EVENT} with the stack trace, and
 * the next listener is called. A listener can never break the component or keep the other
 * listeners from an event. An {@link Error} is not caught.
 *
 * <p>Adding and removing listeners is thread-safe and may happen while events are published; a
 * publication sees the listeners of the moment it started. Publishing with no listener costs one
 * volatile read, so components may publish on hot paths; they should still check
 * {@link #hasListeners()} before building an event that costs something.
 *
 * @param <E> the component's event type
 */
public final class EventPublisher<E> {

    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);

    private final String component;
    private final List<EventListener<? super E>> listeners = new CopyOnWriteArrayList<>();

    private EventPublisher(String component) {
        this.component = Objects.requireNonNull(component, "component");
    }

    /**
     * A publisher with no listener.
     *
     * @param component the component as logs name it, e.g. {@code balancer 'api'} or
     *                  {@code circuit breakers}
     * @param <E>       the event type
     * @return the publisher
     */
    public static <E> EventPublisher<E> of(String component) {
        return new EventPublisher<>(component);
    }

    /**
     * The component as logs name it.
     *
     * @return the name given to {@link #of}
     */
    public String component() {
        return component;
    }

    /**
     * Adds a listener; it is told of every event published from now on. A listener added twice
     * is told twice.
     *
     * @param listener the listener
     */
    public void addListener(EventListener<? super E> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Removes a listener (once, if it was added more than once).
     *
     * @param listener the listener
     * @return whether it was a listener
     */
    public boolean removeListener(EventListener<? super E> listener) {
        return listeners.remove(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Whether any listener would be told of an event.
     *
     * @return true if at least one listener was added and not removed
     */
    public boolean hasListeners() {
        return !listeners.isEmpty();
    }

    /**
     * Tells every listener of an event, on the calling thread; a listener that throws is logged
     * and skipped. Never throws because of a listener.
     *
     * @param event the event
     */
    public void publish(E event) {
        Objects.requireNonNull(event, "event");
        for (EventListener<? super E> listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (Exception e) {
                LOG.warn("{}: listener {} failed on {}", component, listener, event, e);
            }
        }
    }

    @Override
    public String toString() {
        return "EventPublisher[" + component + ", " + listeners.size() + " listeners]";
    }
}
