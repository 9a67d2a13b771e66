package io.generalbots.balance;

/** Thrown when a {@link LoadBalancer} has no available upstream (all removed, down or tried). */
public class NoUpstreamAvailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the message, naming the balancer
     */
    public NoUpstreamAvailableException(String message) {
        super(message);
    }
}
