package io.generalbots.ratelimit;

import io.generalbots.scaling.GbScalingException;

/**
 * A {@link RedisRateLimiter} could not be built: Redis could not be reached, or did not complete
 * the warm-up ({@code SCRIPT LOAD} and one probe) within the warm-up timeout. Redis must be
 * reachable when the limiter is built; later outages are the failure mode's job and never throw.
 * Lettuce's exception, when there is one, is the cause.
 */
public final class RedisUnavailableException extends GbScalingException {

    private static final long serialVersionUID = 1L;

    private final String limiter;

    /**
     * Creates the exception.
     *
     * @param limiter the limiter's name
     * @param message the whole message, naming the limiter
     * @param cause   the underlying failure, or null
     */
    public RedisUnavailableException(String limiter, String message, Throwable cause) {
        super(message, cause);
        this.limiter = limiter;
    }

    /**
     * The limiter that could not be built.
     *
     * @return its name (the prefix of its Redis keys)
     */
    public String limiter() {
        return limiter;
    }
}
