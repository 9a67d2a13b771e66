package io.generalbots.scaling.event;

/**
 * Told of one component's events: the one listener shape of gb-scaling. Each component has its own
 * sealed event type ({@code BreakerEvent}, {@code LoadBalancerEvent}, {@code HealthEvent}, …) whose
 * records say what happened and name the component; a listener of it is added with the
 * component's {@code addListener} (or its builder's {@code listener}).
 *
 * <pre>{@code
 * breakers.addListener(event -> {
 *     if (event instanceof BreakerEvent.StateChanged s && s.to() == BreakerState.OPEN) {
 *         alerts.page(s.breaker() + " is open");
 *     }
 * });
 * }</pre>
 *
 * <p>A listener is called on the thread that caused the event (a request's, or a component's
 * background thread) and must be short and must not block. It cannot break the component: an
 * exception it throws is logged with the component's name and the event, and the component and
 * the other listeners go on (see {@link EventPublisher#publish}).
 *
 * @param <E> the component's event type
 */
@FunctionalInterface
public interface EventListener<E> {

    /**
     * An event happened.
     *
     * @param event the event
     */
    void onEvent(E event);
}
