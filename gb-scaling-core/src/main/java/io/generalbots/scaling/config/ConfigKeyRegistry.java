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

    /**
     * The service file every module's {@link ConfigKeyProvider}s are listed in. A shaded (fat) jar
     * built without merging these files keeps one module's and loses the others'.
     */
    public static final String SERVICE_FILE = "META-INF/services/" + ConfigKeyProvider.class.getName();

    /**
     * What to do about keys that a module declares but that this registry does not know: merge
     * the service files of a shaded jar with maven-shade-plugin's {@code ServicesResourceTransformer}.
     */
    public static final String SHADING_HINT = "if this is a shaded (fat) jar, its " + SERVICE_FILE
            + " files were not merged: add maven-shade-plugin's ServicesResourceTransformer";

    /**
     * The {@link ConfigKeyProvider}s of gb-scaling's own modules. {@link #fromClasspath()} looks
     * each up by name: one on the class path that {@link ServiceLoader} did not find means the
     * service files were not merged (a shaded jar without ServicesResourceTransformer).
     */
    static final List<String> OWN_PROVIDERS = List.of(
            "io.generalbots.scaling.CoreConfigKeys",
            "io.generalbots.autoscale.AutoscaleConfigKeys",
            "io.generalbots.balance.BalanceConfigKeys",
            "io.generalbots.failover.FailoverConfigKeys",
            "io.generalbots.failover.postgres.PostgresFailoverConfigKeys",
            "io.generalbots.ratelimit.RateLimitConfigKeys",
            "io.generalbots.sharding.ShardingConfigKeys",
            "io.generalbots.sharding.qdrant.QdrantConfigKeys");

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConfigKeyRegistry.class);

    private static volatile ConfigKeyRegistry classpath;

    private final Map<String, ConfigKey> exact;
    private final List<ConfigKey> patterns;
    private final List<ConfigKeyProvider> providers;
    /** Providers on the class path that the service files do not list, by class name. */
    private final Map<String, ConfigKeyRegistry> unregistered;

    private ConfigKeyRegistry(List<ConfigKeyProvider> providers) {
        this(providers, Map.of());
    }

    private ConfigKeyRegistry(List<ConfigKeyProvider> providers, Map<String, ConfigKeyRegistry> unregistered) {
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
        this.unregistered = Collections.unmodifiableMap(new LinkedHashMap<>(unregistered));
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
                    registry = withUnregistered(found, OWN_PROVIDERS, ConfigKeyRegistry.class.getClassLoader());
                    if (!registry.unregistered.isEmpty()) {
                        LOG.error("config keys: ConfigKeyProviders {} are on the class path but no {} lists them, so their keys are"
                                + " unknown; {}", registry.unregistered.keySet(), SERVICE_FILE, SHADING_HINT);
                    }
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
     * A registry of the providers {@link ServiceLoader} found, which also knows the expected
     * providers that are on the class path but were not found (their service file was lost), so
     * that their keys are reported with {@link #SHADING_HINT} rather than as unknown.
     *
     * @param found    the providers found
     * @param expected class names of the providers expected
     * @param loader   where to look the expected ones up
     * @return the registry
     */
    static ConfigKeyRegistry withUnregistered(List<ConfigKeyProvider> found, List<String> expected, ClassLoader loader) {
        Map<String, ConfigKeyRegistry> missing = new LinkedHashMap<>();
        for (String name : expected) {
            if (found.stream().anyMatch(p -> p.getClass().getName().equals(name))) {
                continue;
            }
            Class<?> type;
            try {
                type = Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                continue; // that module is not linked in: its keys are rightly unknown
            }
            ConfigKeyRegistry keys;
            try {
                keys = new ConfigKeyRegistry(List.of((ConfigKeyProvider) type.getConstructor().newInstance()));
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                keys = new ConfigKeyRegistry(List.of());
            }
            missing.put(name, keys);
        }
        return new ConfigKeyRegistry(found, missing);
    }

    /**
     * The class names of gb-scaling's own providers that are on the class path but that no
     * service file lists: non-empty only in a broken assembly, such as a shaded jar built without
     * ServicesResourceTransformer.
     *
     * @return the class names, empty when every provider is registered
     */
    public List<String> unregisteredProviders() {
        return List.copyOf(unregistered.keySet());
    }

    /**
     * Why a key this registry does not know may still be a good one: a provider that is on the
     * class path but not registered declares it.
     *
     * @param key a key this registry does not declare
     * @return {@code CLASS declares it, but no META-INF/services/... lists it; if this is a shaded
     *         (fat) jar ...}, or empty when no such provider declares it
     */
    public Optional<String> whyUnknown(String key) {
        for (Map.Entry<String, ConfigKeyRegistry> e : unregistered.entrySet()) {
            if (e.getValue().find(key).isPresent()) {
                return Optional.of(e.getKey() + " declares it, but no " + SERVICE_FILE + " lists " + e.getKey()
                        + "; " + SHADING_HINT);
            }
        }
        return Optional.empty();
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
     * @throws IllegalStateException if no module declared it: {@code key KEY is read but no
     *         ConfigKeyProvider on the class path declares it; if this is a shaded (fat) jar, ...}, or
     *         naming the provider that declares it but is not registered
     */
    public ConfigKey require(String key) {
        return find(key).orElseThrow(() -> new IllegalStateException(whyUnknown(key)
                .map(why -> "key " + key + " is read but no registered ConfigKeyProvider declares it: " + why)
                .orElse("key " + key + " is read but no ConfigKeyProvider on the class path declares it; "
                        + SHADING_HINT)));
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
