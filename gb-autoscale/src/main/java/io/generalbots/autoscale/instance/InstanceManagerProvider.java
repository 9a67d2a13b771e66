package io.generalbots.autoscale.instance;

import io.generalbots.autoscale.ScalingSettings;

/**
 * An instance manager of your own (Kubernetes, a cloud's instance groups, Nomad, …), chosen in
 * {@code config.csv} by its name ({@code scale-instance-manager,NAME}) and found with
 * {@link java.util.ServiceLoader} through {@link io.generalbots.scaling.Plugins}: list the class in
 * {@code META-INF/services/io.generalbots.autoscale.instance.InstanceManagerProvider} (it needs a
 * public no-argument constructor). {@link InstanceManager#of(ScalingSettings)} then builds it, for
 * {@code AutoScaler.custom(settings, InstanceManager.of(settings), source)}.
 *
 * <p>The manager keeps {@link InstanceManager}'s contract: called from the scaler's one thread, a
 * failed launch leaves nothing behind, drain returns at once. Settings a manager needs beyond the
 * {@code scale-*} keys (an API endpoint, credentials) are its own business: read them from the
 * environment or your own configuration, not from unknown {@code scale-*} keys, which
 * {@code gb-scale check} reports.
 */
public interface InstanceManagerProvider {

    /**
     * The manager's name in {@code config.csv}: lower case letters, digits and {@code -}, and not
     * the built-in {@code lxc} (that wins).
     *
     * @return the name
     */
    String name();

    /**
     * A new manager; called once per {@link InstanceManager#of(ScalingSettings)}.
     *
     * @param settings the settings ({@link ScalingSettings#instanceManager()} is this provider's name)
     * @return the manager
     */
    InstanceManager manager(ScalingSettings settings);
}
