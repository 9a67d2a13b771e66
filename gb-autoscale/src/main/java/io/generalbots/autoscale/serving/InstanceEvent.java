package io.generalbots.autoscale.serving;

import java.time.Duration;
import java.time.Instant;

/**
 * What happened to a {@link BotInstance}, for {@link InstanceListener}s.
 */
public sealed interface InstanceEvent {

    /**
     * When it happened (the instance's clock).
     *
     * @return the time
     */
    Instant at();

    /**
     * The instance's name.
     *
     * @return the name
     */
    String instance();

    /**
     * The instance began to drain: it takes no new requests from now on.
     *
     * @param at       when
     * @param instance the instance
     * @param inFlight requests in flight at that moment
     */
    record DrainStarted(Instant at, String instance, long inFlight) implements InstanceEvent {
    }

    /**
     * The last request in flight of a draining instance finished (or none was in flight): it may
     * be stopped without cutting a request.
     *
     * @param at       when
     * @param instance the instance
     * @param took     time from the start of the drain
     */
    record Drained(Instant at, String instance, Duration took) implements InstanceEvent {
    }

    /**
     * A caller was refused the control endpoint (403): not on loopback, came through a proxy, or
     * without the right token.
     *
     * @param at       when
     * @param instance the instance
     * @param remote   the caller's address, as the server saw it
     * @param reason   why, e.g. {@code not loopback}
     */
    record ControlRefused(Instant at, String instance, String remote, String reason) implements InstanceEvent {
    }
}
