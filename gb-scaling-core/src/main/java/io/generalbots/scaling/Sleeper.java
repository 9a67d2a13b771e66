package io.generalbots.scaling;

import java.time.Duration;

/**
 * How a component waits between tries (the balancer's retries, the failover data source's
 * backoff): the companion of {@link Ticker}, injectable so that tests advance a manual ticker
 * instead of sleeping.
 */
@FunctionalInterface
public interface Sleeper {

    /**
     * Waits.
     *
     * @param duration how long
     * @throws InterruptedException if interrupted
     */
    void sleep(Duration duration) throws InterruptedException;

    /**
     * {@link Thread#sleep(long, int)}.
     *
     * @return the system sleeper
     */
    static Sleeper system() {
        return d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
    }
}
