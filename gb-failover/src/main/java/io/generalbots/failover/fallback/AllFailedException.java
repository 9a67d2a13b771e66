package io.generalbots.failover.fallback;

import io.generalbots.scaling.GbScalingException;

/**
 * Every step of a {@link FallbackChain} (or both Redis and the in-process fallback of a
 * {@link ResilientCache}) failed; each step's failure is attached as a suppressed exception, in
 * order, and summed up in the message, e.g.
 * {@code llm: no step answered: openai: circuit breaker open; local: IOException: refused}.
 */
public final class AllFailedException extends GbScalingException {

    private static final long serialVersionUID = 1L;

    private final String dependency;

    /**
     * Creates the exception.
     *
     * @param dependency the chain's (or cache's) name, the dependency's, e.g. {@code llm}
     * @param message    the summary, naming it
     */
    public AllFailedException(String dependency, String message) {
        super(message);
        this.dependency = dependency;
    }

    /**
     * The dependency for which nothing answered.
     *
     * @return the chain's (or cache's) name
     */
    public String dependency() {
        return dependency;
    }
}
