package io.generalbots.balance;

/**
 * A call to one upstream, made by {@link LoadBalancer#execute}. The call may report the response's
 * HTTP status with {@link Lease#status(int)} so that passive health checks see unhealthy codes;
 * a thrown exception counts as a failure of the upstream (and is retried on another one within
 * {@code lb_try_duration}).
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface UpstreamCall<T> {

    /**
     * Calls the lease's upstream.
     *
     * @param lease the picked upstream
     * @return the result
     * @throws Exception a failure of the call
     */
    T call(Lease lease) throws Exception;
}
