package io.generalbots.autoscale.instance;

import java.util.List;

/**
 * The SPI through which the auto-scaler changes the cluster: list the instances, launch one,
 * drain one, destroy one. Implementations: {@link LxcInstanceManager} (the seed's LXC commands),
 * {@link LocalProcessInstanceManager} (real OS processes), and the simulator's model.
 *
 * <p>The scaler calls these from one thread (its loop). A failing operation throws
 * {@link InstanceException}; the manager must leave no half-made instance behind (a failed
 * launch removes what it created), so that the scaler's view stays consistent.
 */
public interface InstanceManager {

    /**
     * The instances that exist now, starting, ready or draining.
     *
     * @return the instances
     * @throws InstanceException if they cannot be listed
     */
    List<Instance> list();

    /**
     * Launches one more instance. It need not be ready when this returns: the scaler leaves it
     * out of averages until its metrics say it is ready.
     *
     * @return the new instance
     * @throws InstanceException if the launch failed (nothing of it is left behind)
     */
    Instance launch();

    /**
     * Tells an instance to drain: its health turns {@code draining} (readiness fails, so the
     * proxy stops sending it requests) while requests in flight finish. Returns at once.
     *
     * @param instance the instance
     * @throws InstanceException if it cannot be told
     */
    void drain(Instance instance);

    /**
     * Whether a draining instance has no request in flight any more. The scaler destroys it when
     * this is true or when the drain deadline ({@code scale-drain-seconds}) has passed.
     *
     * @param instance the instance
     * @return true when it may be destroyed without cutting a request
     */
    boolean isDrained(Instance instance);

    /**
     * Stops and removes an instance.
     *
     * @param instance the instance
     * @throws InstanceException if it cannot be removed
     */
    void destroy(Instance instance);
}
