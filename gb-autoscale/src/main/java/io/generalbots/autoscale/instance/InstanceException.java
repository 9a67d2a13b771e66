package io.generalbots.autoscale.instance;

import io.generalbots.scaling.GbScalingException;

/** An instance manager's operation failed; the message says which command or call and why. */
public final class InstanceException extends GbScalingException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed
     */
    public InstanceException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what failed
     * @param cause   the cause
     */
    public InstanceException(String message, Throwable cause) {
        super(message, cause);
    }
}
