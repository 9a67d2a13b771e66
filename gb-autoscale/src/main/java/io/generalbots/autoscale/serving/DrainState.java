package io.generalbots.autoscale.serving;

import java.util.Locale;

/** Where a {@link BotInstance} is in its drain. */
public enum DrainState {
    /** Takes requests. */
    SERVING,
    /** Takes no new requests; requests in flight finish. */
    DRAINING,
    /** Takes no new requests and none is in flight: it may be stopped. */
    DRAINED;

    /**
     * The word in the control endpoint's JSON: {@code serving}, {@code draining}, {@code drained}.
     *
     * @return the word
     */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
