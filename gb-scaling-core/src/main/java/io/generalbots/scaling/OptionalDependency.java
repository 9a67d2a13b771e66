package io.generalbots.scaling;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Objects;

/**
 * A library that a gb-scaling feature needs but that no gb-scaling jar brings (an optional
 * dependency): checked where the feature starts, so that its absence is one message naming the
 * artifact to add, not a {@code NoClassDefFoundError} or {@code No suitable driver} from deep
 * inside.
 *
 * <pre>{@code
 * OptionalDependency.LETTUCE.require("rate-limit-redis");
 * // rate-limit-redis needs Lettuce on the class path: add io.lettuce:lettuce-core (managed by gb-dependencies)
 * }</pre>
 *
 * <p>Every artifact named here has its version managed by the {@code io.generalbots:gb-dependencies}
 * BOM, so a build that imports it adds the artifact without a version.
 *
 * @param library   the library's name as people say it, e.g. {@code Lettuce}
 * @param artifact  its Maven coordinates without version, e.g. {@code io.lettuce:lettuce-core}
 * @param className a class the library always has, e.g. {@code io.lettuce.core.RedisClient}
 */
public record OptionalDependency(String library, String artifact, String className) {

    /** Lettuce, the Redis client: Redis rate limiting, Redis connections, Redis leader election. */
    public static final OptionalDependency LETTUCE =
            new OptionalDependency("Lettuce", "io.lettuce:lettuce-core", "io.lettuce.core.RedisClient");
    /** The PostgreSQL JDBC driver: shard pools, the failover data source, PostgreSQL leader election. */
    public static final OptionalDependency POSTGRESQL =
            new OptionalDependency("the PostgreSQL JDBC driver", "org.postgresql:postgresql", "org.postgresql.Driver");
    /** HikariCP, the connection pool of the failover data source. */
    public static final OptionalDependency HIKARICP =
            new OptionalDependency("HikariCP", "com.zaxxer:HikariCP", "com.zaxxer.hikari.HikariDataSource");
    /** The Qdrant Java client (it brings gRPC): Qdrant collections, search and health. */
    public static final OptionalDependency QDRANT =
            new OptionalDependency("the Qdrant Java client", "io.qdrant:client", "io.qdrant.client.QdrantClient");
    /** Micrometer: every {@code *Metrics} binder. */
    public static final OptionalDependency MICROMETER =
            new OptionalDependency("Micrometer", "io.micrometer:micrometer-core", "io.micrometer.core.instrument.MeterRegistry");
    /** XChart: the simulator's chart ({@code gb-scale simulate --chart}). */
    public static final OptionalDependency XCHART =
            new OptionalDependency("XChart", "org.knowm.xchart:xchart", "org.knowm.xchart.XYChart");

    /**
     * Checks the fields.
     *
     * @param library   the library's name
     * @param artifact  {@code groupId:artifactId}
     * @param className a class of the library
     */
    public OptionalDependency {
        Checks.require(library != null && !library.isBlank(), "library", "non-blank", library);
        Checks.require(artifact != null && artifact.matches("[^:\\s]+:[^:\\s]+"), "artifact", "groupId:artifactId",
                artifact);
        Checks.require(className != null && !className.isBlank(), "className", "a class name", className);
    }

    /**
     * Whether the library is on the class path (its class is looked up without being initialised).
     *
     * @return true if it is
     */
    public boolean isPresent() {
        try {
            Class.forName(className, false, OptionalDependency.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Requires the library for a feature.
     *
     * @param feature what needs it, as the user knows it: a {@code config.csv} key
     *                ({@code rate-limit-redis}), a class ({@code QdrantConnection}) or an option
     * @throws IllegalStateException {@code FEATURE needs LIBRARY on the class path: add ARTIFACT
     *                               (managed by gb-dependencies)} when it is missing
     */
    public void require(String feature) {
        if (!isPresent()) {
            throw missing(feature, null);
        }
    }

    /**
     * The exception for a feature that found the library missing, e.g. on a
     * {@link NoClassDefFoundError} caught where the feature starts.
     *
     * @param feature what needs it
     * @param cause   what was caught, or null
     * @return the exception, to throw
     */
    public IllegalStateException missing(String feature, Throwable cause) {
        return new IllegalStateException(message(feature), cause);
    }

    /**
     * {@code FEATURE needs LIBRARY on the class path: add ARTIFACT (managed by gb-dependencies)}.
     *
     * @param feature what needs it
     * @return the message
     */
    public String message(String feature) {
        Objects.requireNonNull(feature, "feature");
        return feature + " needs " + library + " on the class path: add " + artifact + " (managed by gb-dependencies)";
    }

    /**
     * {@link #require(String)} for a library given by its parts, for libraries not named above.
     *
     * @param className a class the library always has
     * @param library   the library's name
     * @param artifact  {@code groupId:artifactId}
     * @param feature   what needs it
     * @throws IllegalStateException naming the artifact when the class is missing
     */
    public static void require(String className, String library, String artifact, String feature) {
        new OptionalDependency(library, artifact, className).require(feature);
    }

    /**
     * Requires a JDBC driver that accepts a URL, as {@link DriverManager} finds drivers. Without
     * one, pools fail later with {@code No suitable driver}; this says which artifact to add:
     * {@code FEATURE needs the PostgreSQL JDBC driver on the class path: add org.postgresql:postgresql
     * (managed by gb-dependencies)} for {@code jdbc:postgresql:} URLs, and for any other
     * {@code FEATURE needs a JDBC driver for jdbc:SUBPROTOCOL: URLs on the class path, but none is
     * registered: add that database's JDBC driver}.
     *
     * @param url     the JDBC URL (only its {@code jdbc:SUBPROTOCOL:} prefix is shown)
     * @param feature what needs it, e.g. {@code ShardedDataSource (shard-url-template)}
     * @throws IllegalStateException when no registered driver accepts the URL
     */
    public static void requireJdbcDriver(String url, String feature) {
        Objects.requireNonNull(url, "url");
        try {
            DriverManager.getDriver(url);
        } catch (SQLException e) {
            throw new IllegalStateException(jdbcDriverMessage(url, feature), e);
        }
    }

    /**
     * The message of {@link #requireJdbcDriver(String, String)} for a URL no driver accepts.
     *
     * @param url     the JDBC URL
     * @param feature what needs it
     * @return the message
     */
    static String jdbcDriverMessage(String url, String feature) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL.message(feature);
        }
        String subprotocol = lower.startsWith("jdbc:") && lower.indexOf(':', 5) > 5
                ? url.substring(0, lower.indexOf(':', 5) + 1) : "this kind of";
        return feature + " needs a JDBC driver for " + subprotocol + " URLs on the class path, but none is registered:"
                + " add that database's JDBC driver";
    }
}
