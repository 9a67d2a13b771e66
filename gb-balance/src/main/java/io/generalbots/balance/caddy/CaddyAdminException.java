package io.generalbots.balance.caddy;

import io.generalbots.scaling.GbScalingException;

/** Caddy's admin API refused a change, is off, or cannot be reached. */
public class CaddyAdminException extends GbScalingException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed and what to do
     * @param cause   the cause, or null
     */
    public CaddyAdminException(String message, Throwable cause) {
        super(message, cause);
    }
}
