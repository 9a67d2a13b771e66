package io.generalbots.autoscale.instance;

import java.time.Duration;
import java.util.List;

import io.generalbots.autoscale.ScalingSettings;
import io.generalbots.scaling.Plugins;

/**
 * The SPI through which the auto-scaler changes the cluster: list the instances, launch one,
 * drain one, destroy one. Implementations: {@link LxcInstanceManager} (the seed's LXC commands),
 * {@link LocalProcessInstanceManager} (real OS processes), the simulator's model, and yours, chosen
 * by name in {@code config.csv} with an {@link InstanceManagerProvider} ({@link #of(ScalingSettings)}).
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

    /**
     * The manager {@code scale-instance-manager} names: for {@code lxc} (the default) an
     * {@link LxcInstanceManager} with the seed's values, running {@code lxc} with a 5-minute limit
     * per command; for any other name the manager of the {@link InstanceManagerProvider} of that
     * name, found through {@link Plugins}. ({@link LocalProcessInstanceManager} has no name: it needs
     * the command that starts an instance, so build it in code.)
     *
     * @param settings the settings
     * @return a new manager
     * @throws IllegalStateException if the name is neither {@code lxc} nor a provider's on the class path
     */
    static InstanceManager of(ScalingSettings settings) {
        String name = settings.instanceManager();
        if (name.equalsIgnoreCase("lxc")) {
            return LxcInstanceManager.custom(new ProcessCommandRunner(Duration.ofMinutes(5))).build();
        }
        InstanceManagerProvider provider = Plugins
                .find(InstanceManagerProvider.class, InstanceManagerProvider::name, name)
                .orElseThrow(() -> new IllegalStateException("scale-instance-manager " + name
                        + " names an InstanceManagerProvider that is not on the class path"));
        InstanceManager manager = provider.manager(settings);
        if (manager == null) {
            throw new IllegalStateException("InstanceManagerProvider " + provider.name() + " returned no manager");
        }
        return manager;
    }
}
