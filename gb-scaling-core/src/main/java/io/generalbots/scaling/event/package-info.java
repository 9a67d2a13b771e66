/**
 * The one listener/event shape of gb-scaling: every component that reports what happens to it has
 * a sealed event type of records, an {@code addListener(EventListener)} and a
 * {@code removeListener(EventListener)}, and tells its listeners through an
 * {@link io.generalbots.scaling.event.EventPublisher}, whose guarded dispatch logs a listener that
 * throws and goes on: a listener cannot break a component.
 */
package io.generalbots.scaling.event;
