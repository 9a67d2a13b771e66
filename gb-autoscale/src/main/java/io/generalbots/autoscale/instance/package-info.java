/**
 * Instance managers: the SPI the auto-scaler acts through ({@link
 * io.generalbots.autoscale.instance.InstanceManager}) and its implementations for LXC containers
 * (the seed's {@code lxc} commands through a {@link io.generalbots.autoscale.instance.CommandRunner})
 * and local OS processes.
 */
package io.generalbots.autoscale.instance;
