package io.generalbots.autoscale.instance;

import java.util.Objects;

import io.generalbots.scaling.config.HostAndPort;

/**
 * One botserver instance (an LXC container, a local process, a simulated machine) as an
 * {@link InstanceManager} knows it.
 *
 * @param id       the manager's name for it, e.g. {@code botserver-3}
 * @param address  where it serves HTTP (the proxy's upstream)
 * @param launched an ordering key, larger for instances launched later (monotonic nanos of the
 *                 launch, or the number in {@code botserver-N}): the newest is removed first
 */
public record Instance(String id, HostAndPort address, long launched) {

    /**
     * Creates an instance.
     *
     * @param id       the id
     * @param address  the address
     * @param launched when it was launched
     */
    public Instance {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
    }
}
