package io.generalbots.sharding;

import io.generalbots.scaling.GbScalingException;

/**
 * A key that cannot be routed: outside every range, or not a valid tenant id. Never answered by
 * a silent default.
 */
public class ShardRoutingException extends GbScalingException {

    private static final long serialVersionUID = 1L;

    /** The key, as given. */
    private final String key;

    /**
     * Creates the exception.
     *
     * @param key     the key that cannot be routed
     * @param message the whole message; it names the key
     */
    public ShardRoutingException(String key, String message) {
        super(message);
        this.key = key;
    }

    /**
     * The key that cannot be routed.
     *
     * @return the key
     */
    public String key() {
        return key;
    }
}
