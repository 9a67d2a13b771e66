package io.generalbots.scaling;

/**
 * The root of gb-scaling's unchecked exceptions: something a component could not do at run time
 * because of a dependency, the data or the cluster, as opposed to a programming or configuration
 * error (those are {@link IllegalArgumentException}, {@link IllegalStateException} and
 * {@link io.generalbots.scaling.config.ConfigException}). Catch it to handle every such failure of
 * the library at once; catch a subclass for one.
 *
 * <p>Every module's exceptions extend it, and each carries what an operator needs as fields as
 * well as in its message: the breaker and the wait left ({@code BreakerOpenException}), the key
 * ({@code ShardRoutingException}), the balancer ({@code NoUpstreamAvailableException}), the
 * collection ({@code CollectionMismatchException}). A third-party exception that caused it is its
 * cause, never its type. Checked exceptions appear only where a JDK contract has them:
 * {@link java.sql.SQLException} from a {@code DataSource} or JDBC work
 * ({@code ShardUnavailableException}, {@code PrimaryLostException}) and
 * {@link java.io.IOException} from a reader ({@link InputLimitException}).
 */
public class GbScalingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the whole message; it names the component and what failed
     */
    protected GbScalingException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message the whole message; it names the component and what failed
     * @param cause   the underlying failure, or null
     */
    protected GbScalingException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Creates the exception with a cause, and without a stack trace when it is thrown often on a
     * hot path and its message says all there is (an open breaker's rejection).
     *
     * @param message            the whole message
     * @param cause              the underlying failure, or null
     * @param writableStackTrace false to skip filling in the stack trace
     */
    protected GbScalingException(String message, Throwable cause, boolean writableStackTrace) {
        super(message, cause, true, writableStackTrace);
    }
}
