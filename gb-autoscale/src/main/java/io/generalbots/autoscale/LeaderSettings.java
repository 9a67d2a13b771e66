package io.generalbots.autoscale;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigReader;

/**
 * How the botserver instances elect the one that runs the scaling loop (keys added by this
 * library; the seed runs one bash loop on one host).
 *
 * <p>One scaler per cluster by default: every instance links the library in and reads the same
 * {@code config.csv}, so with the seed's {@code scale-enabled,true} and no election every instance
 * would scale. Without {@code scale-leader-election} the election follows {@code scale-leader-url}
 * ({@code jdbc:postgresql:} means {@code postgres}, {@code redis://} or {@code rediss://} means
 * {@code redis}); with neither it is {@link Kind#NONE}, which {@code gb-scale check} warns about
 * when {@code scale-enabled} is true and which an enabled {@link AutoScaler} refuses to start with.
 * {@code scale-leader-election,single} says that this instance is the only one that runs a scaler.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>scale-leader-election</td><td>from scale-leader-url, else none</td><td>{@code postgres} (a
 *       session advisory lock), {@code redis} (a lease {@code SET NX PX}, renewed, fenced by a
 *       token), {@code single} (this instance is the only scaler: it always leads) or {@code none}
 *       (no election: an enabled scaler refuses to start)</td></tr>
 *   <tr><td>scale-leader-url</td><td>–</td><td>{@code jdbc:postgresql://HOST:PORT/DB?user=U&amp;password=P}
 *       or {@code redis://HOST:PORT}; required for {@code postgres} and {@code redis}</td></tr>
 *   <tr><td>scale-leader-key</td><td>gb-scaling-leader</td><td>the lock's name (hashed to the advisory
 *       lock id) or the Redis key prefix</td></tr>
 *   <tr><td>scale-leader-lease-seconds</td><td>twice scale-check-interval, at least 15</td><td>Redis
 *       lease time; at least twice {@code scale-check-interval}, since the lease is renewed on every
 *       check</td></tr>
 * </table>
 *
 * @param kind  the election backend
 * @param url   the store's URL, or null without one
 * @param key   the lock name
 * @param lease the Redis lease time
 */
public record LeaderSettings(Kind kind, String url, String key, Duration lease) {

    /** The election backends. */
    public enum Kind {
        /**
         * No election configured: an enabled {@link AutoScaler} refuses to start, since every
         * instance would scale.
         */
        NONE,
        /** No election needed: this instance is the only one that runs a scaler, so it leads. */
        SINGLE,
        /** A PostgreSQL session advisory lock. */
        POSTGRES,
        /** A Redis lease. */
        REDIS
    }

    /** The least Redis lease when {@code scale-leader-lease-seconds} is not set. */
    static final Duration MIN_DEFAULT_LEASE = Duration.ofSeconds(15);

    /**
     * What {@code gb-scale check} warns (at {@code scale-enabled}'s line) and what an enabled
     * {@link AutoScaler} without an election refuses to start with.
     */
    public static final String NOT_ELECTED = "scale-enabled is true but no leader election is configured, so every "
            + "instance that links the library in would scale and the scaler refuses to start; set "
            + "scale-leader-election to postgres or redis (with scale-leader-url), or to single if this is the only "
            + "instance";

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
        String url = r.isSet("scale-leader-url") ? r.getString("scale-leader-url") : null;
        Kind kind;
        if (r.isSet("scale-leader-election")) {
            Map<String, Kind> kinds = new LinkedHashMap<>();
            kinds.put("none", Kind.NONE);
            kinds.put("single", Kind.SINGLE);
            kinds.put("postgres", Kind.POSTGRES);
            kinds.put("redis", Kind.REDIS);
            kind = r.getChoice("scale-leader-election", kinds);
        } else if (url == null || url.isEmpty()) {
            kind = Kind.NONE;
        } else if (url.startsWith("jdbc:postgresql:")) {
            kind = Kind.POSTGRES;
        } else if (url.startsWith("redis://") || url.startsWith("rediss://")) {
            kind = Kind.REDIS;
        } else {
            r.reject("scale-leader-url", "a jdbc:postgresql:, redis:// or rediss:// URL");
            kind = Kind.NONE;
        }
        String key = r.parse("scale-leader-key", "a name of letters, digits, '-', '_', ':' or '.'",
                v -> v.matches("[A-Za-z0-9_.:-]{1,200}") ? v : null, "gb-scaling-leader");
        Duration interval = r.getDuration("scale-check-interval", Duration.ofSeconds(1), Duration.ofDays(1));
        Duration lease = r.isSet("scale-leader-lease-seconds")
                ? r.getDuration("scale-leader-lease-seconds", Duration.ofSeconds(1), Duration.ofHours(1))
                : max(MIN_DEFAULT_LEASE, interval.multipliedBy(2));
        if (kind == Kind.POSTGRES && url != null && !url.startsWith("jdbc:postgresql:")) {
            r.reject("scale-leader-url", "a jdbc:postgresql: URL when scale-leader-election is postgres");
        } else if (kind == Kind.REDIS && url != null && !url.startsWith("redis://") && !url.startsWith("rediss://")) {
            r.reject("scale-leader-url", "a redis:// or rediss:// URL when scale-leader-election is redis");
        } else if ((kind == Kind.POSTGRES || kind == Kind.REDIS) && url == null) {
            r.error("scale-leader-election", "scale-leader-election " + kind.name().toLowerCase(java.util.Locale.ROOT)
                    + " needs scale-leader-url");
        } else if ((kind == Kind.SINGLE || kind == Kind.NONE) && url != null && r.isSet("scale-leader-election")) {
            r.warn("scale-leader-url", "scale-leader-url has no effect with scale-leader-election "
                    + kind.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (kind == Kind.NONE && r.getBoolean("scale-enabled") && !r.hasErrors("scale-leader-url")
                && !r.hasErrors("scale-leader-election")) {
            r.warn("scale-enabled", NOT_ELECTED);
        }
        if (kind == Kind.REDIS && !r.hasErrors() && r.isSet("scale-leader-lease-seconds")) {
            if (lease.compareTo(interval.multipliedBy(2)) < 0) {
                r.reject("scale-leader-lease-seconds", "at least twice scale-check-interval (" + interval.toSeconds()
                        + "s), since the lease is renewed on every check");
            }
        }
        return new LeaderSettings(kind, url, key, lease);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
