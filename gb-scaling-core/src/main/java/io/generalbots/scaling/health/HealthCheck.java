package io.generalbots.scaling.health;

/**
 * A check of one dependency (database, cache, vector database, LLM server, …) that the health
 * aggregator runs. It lives in gb-scaling-core so that every module can offer checks (gb-sharding
 * a Qdrant check, gb-failover a Redis check) without depending on the aggregator's module.
 *
 * <p>A check returns a result, or throws: the aggregator reports a thrown exception as
 * {@code error} and a check that runs past its timeout as {@code timeout}, so implementations
 * need not catch anything. Checks may block; the aggregator runs them off the request path.
 */
@FunctionalInterface
public interface HealthCheck {

    /**
     * Runs the check once.
     *
     * @return the result
     * @throws Exception when the dependency is not usable
     */
    HealthCheckResult check() throws Exception;
}
