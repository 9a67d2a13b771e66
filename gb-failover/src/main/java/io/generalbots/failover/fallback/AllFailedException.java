package io.generalbots.failover.fallback;

/**
 * Every step of a {@link FallbackChain} failed; each step's failure is attached as a suppressed
 * exception, in order, and summed up in the message.
 */
public final class AllFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the summary
     */
    public AllFailedException(String message) {
        super(message);
    }
}
