package io.generalbots.sharding;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Geographic routing: region to host ({@code shard-geo-REGION,HOST}); a region without an entry
 * goes to {@code shard-default}. Regions are compared ignoring ASCII case.
 */
public final class GeoShardRouter implements ShardRouter {

    private final Map<String, String> hosts;
    private final String defaultHost;

    /**
     * Creates the router.
     *
     * @param hosts       region to host
     * @param defaultHost the host of every other region
     */
    public GeoShardRouter(Map<String, String> hosts, String defaultHost) {
        Objects.requireNonNull(defaultHost, "shard-default");
        Map<String, String> copy = new HashMap<>();
        hosts.forEach((region, host) -> copy.put(region.toLowerCase(Locale.ROOT), host));
        this.hosts = copy;
        this.defaultHost = defaultHost;
    }

    @Override
    public String route(long key) {
        return route(Long.toString(key));
    }

    @Override
    public String route(String region) {
        String host = hosts.get(region);
        if (host == null) {
            host = hosts.get(region.toLowerCase(Locale.ROOT));
        }
        return host == null ? defaultHost : host;
    }

    @Override
    public ShardStrategy strategy() {
        return ShardStrategy.GEO;
    }

    /**
     * The hosts of the regions given, and the default host.
     *
     * @return the region to host map (lower-case regions)
     */
    public Map<String, String> hosts() {
        return new LinkedHashMap<>(hosts);
    }

    /**
     * The host of every region without an entry.
     *
     * @return the default host
     */
    public String defaultHost() {
        return defaultHost;
    }

    @Override
    public List<String> targets() {
        LinkedHashSet<String> all = new LinkedHashSet<>(hosts.values());
        all.add(defaultHost);
        return List.copyOf(all);
    }
}
