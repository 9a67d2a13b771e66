package io.generalbots.autoscale;

import java.time.Duration;
import java.util.Map;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigReader;

/**
 * How the botserver instances elect the one that runs the scaling loop (keys added by this
 * library; the seed runs one bash loop on one host).
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>scale-leader-election</td><td>none</td><td>{@code none} (this instance always leads: one
 *       scaler only), {@code postgres} (a session advisory lock) or {@code redis} (a lease
 *       {@code SET NX PX}, renewed, fenced by a token)</td></tr>
 *   <tr><td>scale-leader-url</td><td>–</td><td>{@code jdbc:postgresql://HOST:PORT/DB?user=U&amp;password=P}
 *       or {@code redis://HOST:PORT}; required unless {@code none}</td></tr>
 *   <tr><td>scale-leader-key</td><td>gb-scaling-leader</td><td>the lock's name (hashed to the advisory
 *       lock id) or the Redis key prefix</td></tr>
 *   <tr><td>scale-leader-lease-seconds</td><td>15</td><td>Redis lease time; at least twice
 *       {@code scale-check-interval}, since the lease is renewed on every check</td></tr>
 * </table>
 *
 * @param kind  the election backend
 * @param url   the store's URL, or null for {@link Kind#NONE}
 * @param key   the lock name
 * @param lease the Redis lease time
 */
public record LeaderSettings(Kind kind, String url, String key, Duration lease) {

    /** The election backends. */
    public enum Kind {
        /** No election: this instance runs the loop. */
        NONE,
        /** A PostgreSQL session advisory lock. */
        POSTGRES,
        /** A Redis lease. */
        REDIS
    }

    /**
     * The settings of a file.
     *
     * @param config the configuration
     * @return the settings
     * @throws io.generalbots.scaling.config.ConfigException if a value is bad
     */
    public static LeaderSettings from(BotConfig config) {
        ConfigReader reader = config.reader();
        LeaderSettings settings = read(reader);
        reader.throwIfInvalid();
        return settings;
    }

    /**
     * Reads the settings, recording problems in the reader.
     *
     * @param r the reader
     * @return the settings
     */
    public static LeaderSettings read(ConfigReader r) {
        Kind kind = r.getChoice("scale-leader-election",
                Map.of("none", Kind.NONE, "postgres", Kind.POSTGRES, "redis", Kind.REDIS));
        String url = r.isSet("scale-leader-url") ? r.getString("scale-leader-url") : null;
        String key = r.parse("scale-leader-key", "a name of letters, digits, '-', '_', ':' or '.'",
                v -> v.matches("[A-Za-z0-9_.:-]{1,200}") ? v : null, "gb-scaling-leader");
        Duration lease = r.getDuration("scale-leader-lease-seconds", Duration.ofSeconds(1), Duration.ofHours(1));
        if (kind == Kind.POSTGRES && url != null && !url.startsWith("jdbc:postgresql:")) {
            r.reject("scale-leader-url", "a jdbc:postgresql: URL when scale-leader-election is postgres");
        } else if (kind == Kind.REDIS && url != null && !url.startsWith("redis://") && !url.startsWith("rediss://")) {
            r.reject("scale-leader-url", "a redis:// or rediss:// URL when scale-leader-election is redis");
        } else if (kind != Kind.NONE && url == null) {
            r.error("scale-leader-election", "scale-leader-election " + kind.name().toLowerCase(java.util.Locale.ROOT)
                    + " needs scale-leader-url");
        }
        if (kind == Kind.REDIS && !r.hasErrors()) {
            Duration interval = r.getDuration("scale-check-interval", Duration.ofSeconds(1), Duration.ofDays(1));
            if (lease.compareTo(interval.multipliedBy(2)) < 0) {
                r.reject("scale-leader-lease-seconds", "at least twice scale-check-interval (" + interval.toSeconds()
                        + "s), since the lease is renewed on every check");
            }
        }
        return new LeaderSettings(kind, url, key, lease);
    }
}
