package io.generalbots.scaling;

import java.util.Collection;
import java.util.Objects;

/**
 * A set of request paths, each covering everything below it, matched on segment boundaries:
 * {@code /api} covers {@code /api} and {@code /api/x}, not {@code /apix}; {@code /} covers every
 * path; a trailing {@code /} on a prefix is ignored. The one matcher of the HTTP adapters (servlet
 * filters, WebFlux filters) for the paths they leave alone, such as health and Actuator endpoints.
 * Immutable and thread-safe; {@link #matches(String)} allocates nothing.
 * <pre>{@code
 * PathPrefixes excluded = PathPrefixes.of(List.of("/api/health", "/actuator/"));
 * excluded.matches("/actuator/prometheus");   // true
 * }</pre>
 */
public final class PathPrefixes {

    private static final PathPrefixes NONE = new PathPrefixes(new String[0]);

    private final String[] prefixes;

    private PathPrefixes(String[] prefixes) {
        this.prefixes = prefixes;
    }

    /**
     * The given prefixes.
     *
     * @param prefixes paths starting with {@code /}
     * @return the matcher
     * @throws IllegalArgumentException if a prefix is null or does not start with {@code /}:
     *         {@code path prefix must be a path starting with /, but was x}
     */
    public static PathPrefixes of(Collection<String> prefixes) {
        Objects.requireNonNull(prefixes, "prefixes");
        if (prefixes.isEmpty()) {
            return NONE;
        }
        return new PathPrefixes(prefixes.stream()
                .map(p -> {
                    Checks.require(p != null && p.startsWith("/"), "path prefix", "a path starting with /", p);
                    return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
                })
                .toArray(String[]::new));
    }

    /**
     * Whether a path is one of the prefixes or below one.
     *
     * @param path the request's path
     * @return whether it matches
     */
    public boolean matches(String path) {
        for (String p : prefixes) {
            if (p.equals("/") || path.equals(p) || (path.startsWith(p) && path.charAt(p.length()) == '/')) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether there are no prefixes (nothing matches).
     *
     * @return whether empty
     */
    public boolean isEmpty() {
        return prefixes.length == 0;
    }

    @Override
    public String toString() {
        return String.join(", ", prefixes);
    }
}
