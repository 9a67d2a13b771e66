package io.generalbots.scaling.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The known {@code config.csv} keys of every gb-scaling module on the classpath.
 *
 * <p>{@link #fromClasspath()} finds the {@link ConfigKeyProvider}s with {@link ServiceLoader}, so
 * a botserver that links in only gb-ratelimit knows only the core and rate-limit keys. A key is
 * <em>ours</em> when it starts with one of {@link #PREFIXES}; any other key belongs to botserver
 * and is ignored.
 */
public final class ConfigKeyRegistry {

    /** The prefixes of the keys gb-scaling owns. */
    public static final List<String> PREFIXES = List.of(
            "scale-", "rate-limit-", "shard-", "qdrant-", "cache-", "health-",
            "circuit-breaker-", "fallback-", "metrics-");

    private static volatile ConfigKeyRegistry classpath;

    private final Map<String, ConfigKey> exact;
    private final List<ConfigKey> patterns;
    private final List<ConfigKeyProvider> providers;

    private ConfigKeyRegistry(List<ConfigKeyProvider> providers) {
        Map<String, ConfigKey> exactKeys = new LinkedHashMap<>();
        List<ConfigKey> patternKeys = new ArrayList<>();
        for (ConfigKeyProvider provider : providers) {
            for (ConfigKey key : provider.keys()) {
                if (!isOurs(key.name())) {
                    throw new IllegalStateException(provider.getClass().getName() + " declares " + key.name()
                            + ", which has none of the prefixes " + PREFIXES);
                }
                boolean clash = key.isPattern()
                        ? patternKeys.stream().anyMatch(p -> p.name().equals(key.name()))
                        : exactKeys.containsKey(key.name());
                if (clash) {
                    throw new IllegalStateException("key " + key.name() + " is declared twice (again by "
                            + provider.getClass().getName() + ")");
                }
                if (key.isPattern()) {
                    patternKeys.add(key);
                } else {
                    exactKeys.put(key.name(), key);
                }
            }
        }
        this.exact = Collections.unmodifiableMap(exactKeys);
        this.patterns = List.copyOf(patternKeys);
        this.providers = List.copyOf(providers);
    }

    /**
     * The registry of every provider on the classpath (cached after the first call).
     *
     * @return the registry
     */
    public static ConfigKeyRegistry fromClasspath() {
        ConfigKeyRegistry registry = classpath;
        if (registry == null) {
            synchronized (ConfigKeyRegistry.class) {
                registry = classpath;
                if (registry == null) {
                    List<ConfigKeyProvider> found = new ArrayList<>();
                    ServiceLoader.load(ConfigKeyProvider.class, ConfigKeyRegistry.class.getClassLoader())
                            .forEach(found::add);
                    found.sort((a, b) -> a.getClass().getName().compareTo(b.getClass().getName()));
                    registry = new ConfigKeyRegistry(found);
                    classpath = registry;
                }
            }
        }
        return registry;
    }

    /**
     * A registry of exactly the given providers (for tests and for hosts that assemble their own).
     *
     * @param providers the providers
     * @return the registry
     * @throws IllegalStateException if two providers declare the same key
     */
    public static ConfigKeyRegistry of(Collection<? extends ConfigKeyProvider> providers) {
        return new ConfigKeyRegistry(List.copyOf(providers));
    }

    /**
     * Whether a key is one of ours, by its prefix.
     *
     * @param key a key
     * @return true if it starts with one of {@link #PREFIXES}
     */
    public static boolean isOurs(String key) {
        for (String prefix : PREFIXES) {
            if (key.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The declaration that covers a key: the key itself, or the family it belongs to.
     *
     * @param key a key
     * @return the declaration, if any
     */
    public Optional<ConfigKey> find(String key) {
        ConfigKey declared = exact.get(key);
        if (declared != null) {
            return Optional.of(declared);
        }
        for (ConfigKey pattern : patterns) {
            if (pattern.matches(key)) {
                return Optional.of(pattern);
            }
        }
        return Optional.empty();
    }

    /**
     * The declaration of a key that code reads; not finding it is a programming error.
     *
     * @param key a key
     * @return the declaration
     * @throws IllegalStateException if no module declared it
     */
    public ConfigKey require(String key) {
        return find(key).orElseThrow(() -> new IllegalStateException(
                "key " + key + " is read but not declared by any ConfigKeyProvider on the classpath"));
    }

    /**
     * Every declaration, exact keys first, in provider order.
     *
     * @return the declarations
     */
    public List<ConfigKey> keys() {
        List<ConfigKey> all = new ArrayList<>(exact.values());
        all.addAll(patterns);
        return all;
    }

    /**
     * The providers this registry was built from.
     *
     * @return the providers
     */
    public List<ConfigKeyProvider> providers() {
        return providers;
    }

    /**
     * Prefixes that only gb-scaling's keys can mean once their separators are dropped
     * ({@code ratelimit-…}, {@code circuitbreaker-…}): a key starting so is reported, never ignored.
     */
    private static final List<String> SQUASHED_OWN_PREFIXES = List.of("ratelimit", "circuitbreaker");

    /**
     * Whether a key that is not ours still starts with what can only be one of our prefixes written
     * another way: {@code ratelimit-requests}, {@code CircuitBreaker_threshold}.
     *
     * @param key a key (folded: lower case)
     * @return true if it can only have been meant for gb-scaling
     */
    public static boolean looksOurs(String key) {
        String squashed = squash(key);
        return SQUASHED_OWN_PREFIXES.stream().anyMatch(squashed::startsWith);
    }

    /**
     * The declared key a key not of ours equals once separators ({@code -}, {@code _}, {@code .},
     * spaces) are dropped: {@code shard_count} and {@code ratelimit-requests} are near misses of
     * {@code shard-count} and {@code rate-limit-requests}.
     *
     * @param key a key (folded: lower case)
     * @return the declared key it nearly is, if any
     */
    public Optional<String> nearMiss(String key) {
        String squashed = squash(key);
        for (ConfigKey candidate : keys()) {
            if (!candidate.name().endsWith("*") && squash(candidate.name()).equals(squashed)) {
                return Optional.of(candidate.name());
            }
        }
        if (looksOurs(key)) {
            // ratelimit-requets: the family is clear, the key is a typo: suggest by distance after re-hyphenating
            String hyphenated = squashed.startsWith("ratelimit") ? "rate-limit-" + strip(key, "ratelimit")
                    : "circuit-breaker-" + strip(key, "circuitbreaker");
            return suggest(hyphenated);
        }
        return Optional.empty();
    }

    private static String strip(String key, String squashedPrefix) {
        int seen = 0;
        int i = 0;
        while (i < key.length() && seen < squashedPrefix.length()) {
            if (key.charAt(i) == squashedPrefix.charAt(seen)) {
                seen++;
            }
            i++;
        }
        while (i < key.length() && "-_. ".indexOf(key.charAt(i)) >= 0) {
            i++;
        }
        return key.substring(i);
    }

    private static String squash(String key) {
        StringBuilder b = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if ("-_. ".indexOf(c) < 0) {
                b.append(Character.toLowerCase(c));
            }
        }
        return b.toString();
    }

    /**
     * The declared key closest to a misspelt one, if one is close enough to be a likely typo.
     *
     * @param key an unknown key
     * @return the suggestion
     */
    public Optional<String> suggest(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (ConfigKey candidate : keys()) {
            String name = candidate.name();
            String compared = key;
            String suffix = "";
            if (candidate.isPattern()) {
                // "rate-limt-api-chat" vs "rate-limit-api-*": compare the prefixes, keep the member name
                String prefix = name.substring(0, name.length() - 1);
                int dashes = (int) prefix.chars().filter(c -> c == '-').count();
                int cut = 0;
                for (int seen = 0; seen < dashes && cut >= 0; seen++) {
                    cut = key.indexOf('-', cut) + 1;
                    if (cut == 0) {
                        cut = -1;
                    }
                }
                if (cut <= 0) {
                    continue;
                }
                compared = key.substring(0, cut);
                suffix = key.substring(cut);
                name = prefix;
            }
            int distance = distance(compared, name);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = name + suffix;
            }
        }
        int allowed = Math.max(2, key.length() / 5);
        return bestDistance <= allowed ? Optional.ofNullable(best) : Optional.empty();
    }

    /** Optimal string alignment distance: edits, counting a swap of neighbours as one. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
