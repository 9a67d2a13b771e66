package io.generalbots.balance;

import io.generalbots.scaling.GbScalingException;

/**
 * Thrown when a {@link LoadBalancer} has no available upstream (all removed, down or tried), e.g.
 * {@code balancer llm: no upstream available (2 upstreams, 0 available)}.
 */
public class NoUpstreamAvailableException extends GbScalingException {

    private static final long serialVersionUID = 1L;

    private final String balancer;
    private final int upstreams;
    private final int available;

    /**
     * Creates the exception.
     *
     * @param balancer  the balancer's name
     * @param upstreams upstreams in its set
     * @param available of those, the ones a pick could choose
     * @param message   the whole message, naming the balancer and the counts
     */
    public NoUpstreamAvailableException(String balancer, int upstreams, int available, String message) {
        super(message);
        this.balancer = balancer;
        this.upstreams = upstreams;
        this.available = available;
    }

    /**
     * The balancer that had no upstream to give.
     *
     * @return its name
     */
    public String balancer() {
        return balancer;
    }

    /**
     * The upstreams in the balancer's set when it failed.
     *
     * @return the count
     */
    public int upstreams() {
        return upstreams;
    }

    /**
     * Of those, the upstreams a pick could choose (not down, not removed; with {@code execute},
     * not already tried).
     *
     * @return the count
     */
    public int available() {
        return available;
    }
}
