package io.generalbots.balance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.generalbots.scaling.Checks;
import io.generalbots.scaling.config.HostAndPort;

/**
 * The live upstream set of a balancer: an immutable array that picks read without a lock, replaced
 * as a whole under a lock when upstreams join or leave. A kept address keeps its {@link Upstream}
 * (state and counters); a removed one is marked {@link Upstream#removed} before the new array is
 * published, so a pick that raced the removal sees the mark and picks again.
 *
 * <p>Thread-safe; changes are in-memory only and report what changed, for the balancer to log and
 * publish outside the lock.
 */
final class UpstreamSet {

    private static final Upstream[] EMPTY = new Upstream[0];

    private final String name;
    private final LoadBalancerConfig config;
    private final Object lock = new Object();
    private volatile Upstream[] pool = EMPTY;

    /**
     * @param name   the balancer's name, on the events
     * @param config the configuration new upstreams are made with
     */
    UpstreamSet(String name, LoadBalancerConfig config) {
        this.name = name;
        this.config = config;
    }

    /**
     * The upstreams now, in order: the array itself, never changed once published.
     *
     * @return the snapshot
     */
    Upstream[] snapshot() {
        return pool;
    }

    /**
     * Replaces the set (see {@link LoadBalancer#setUpstreams}).
     *
     * @param upstreams the new set, without duplicates
     * @return the changes: {@code UpstreamAdded} in list order, then {@code UpstreamRemoved}
     */
    List<LoadBalancerEvent> set(List<HostAndPort> upstreams) {
        Objects.requireNonNull(upstreams, "upstreams");
        Checks.require(Set.copyOf(upstreams).size() == upstreams.size(), "upstreams", "without duplicates", upstreams);
        List<LoadBalancerEvent> changes = new ArrayList<>();
        synchronized (lock) {
            Map<HostAndPort, Upstream> old = new LinkedHashMap<>();
            for (Upstream u : pool) {
                old.put(u.address(), u);
            }
            Upstream[] next = new Upstream[upstreams.size()];
            for (int i = 0; i < next.length; i++) {
                HostAndPort address = upstreams.get(i);
                Upstream u = old.remove(address);
                if (u == null) {
                    u = new Upstream(address, config);
                    changes.add(new LoadBalancerEvent.UpstreamAdded(name, address));
                }
                next[i] = u;
            }
            for (Upstream gone : old.values()) {
                gone.removed = true;   // before the new pool is published: see LoadBalancer.tryPick
                changes.add(new LoadBalancerEvent.UpstreamRemoved(name, gone.address(), gone.activeRequests()));
            }
            pool = next;
        }
        return changes;
    }

    /**
     * Adds an upstream at the end, if not present.
     *
     * @param upstream the address
     * @return the changes (none if it was present)
     */
    List<LoadBalancerEvent> add(HostAndPort upstream) {
        Objects.requireNonNull(upstream, "upstream");
        synchronized (lock) {
            List<HostAndPort> list = addresses();
            if (list.contains(upstream)) {
                return List.of();
            }
            list.add(upstream);
            return set(list);
        }
    }

    /**
     * Removes an upstream.
     *
     * @param upstream the address
     * @return the changes (none if it was not present)
     */
    List<LoadBalancerEvent> remove(HostAndPort upstream) {
        synchronized (lock) {
            List<HostAndPort> list = addresses();
            if (!list.remove(upstream)) {
                return List.of();
            }
            return set(list);
        }
    }

    /**
     * How many upstreams a pick may choose now.
     *
     * @param now the ticker's reading
     * @return the count
     */
    int available(long now) {
        int n = 0;
        for (Upstream u : pool) {
            if (u.isAvailable(now)) {
                n++;
            }
        }
        return n;
    }

    /**
     * The snapshot without some upstreams.
     *
     * @param snapshot a snapshot
     * @param exclude  the upstreams to leave out
     * @return a new array
     */
    static Upstream[] without(Upstream[] snapshot, Set<Upstream> exclude) {
        List<Upstream> kept = new ArrayList<>(snapshot.length);
        for (Upstream u : snapshot) {
            if (!exclude.contains(u)) {
                kept.add(u);
            }
        }
        return kept.toArray(EMPTY);
    }

    private List<HostAndPort> addresses() {
        List<HostAndPort> list = new ArrayList<>();
        for (Upstream u : pool) {
            list.add(u.address());
        }
        return list;
    }
}
