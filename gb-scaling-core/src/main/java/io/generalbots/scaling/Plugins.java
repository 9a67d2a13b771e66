package io.generalbots.scaling;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * Finds the plug-ins a {@code config.csv} names: implementations of a module's strategy interface
 * ({@code ShardStrategyProvider}, {@code BalancingPolicyProvider}, {@code RateLimiterProvider},
 * {@code InstanceManagerProvider}, {@code LlmProvider}) listed in {@code META-INF/services} and found
 * with {@link ServiceLoader}. Each plug-in has a name, the value a key such as
 * {@code shard-strategy} or {@code scale-lb-policy} takes to choose it.
 *
 * <p>Fat jars: a shaded jar must merge the {@code META-INF/services} files of every jar it holds
 * ({@code maven-shade-plugin}'s {@code ServicesResourceTransformer}), or only one jar's plug-ins
 * are found.
 */
public final class Plugins {

    private Plugins() {
    }

    /**
     * The plug-in of a type with this name, from the class loader of the type.
     *
     * @param type   the plug-in interface
     * @param nameOf how a plug-in tells its name
     * @param name   the name wanted (compared case-insensitively)
     * @param <T>    the plug-in interface
     * @return the first plug-in of that name, if any
     */
    public static <T> Optional<T> find(Class<T> type, Function<T, String> nameOf, String name) {
        Objects.requireNonNull(name, "name");
        for (T plugin : ServiceLoader.load(type, type.getClassLoader())) {
            if (name.equalsIgnoreCase(nameOf.apply(plugin))) {
                return Optional.of(plugin);
            }
        }
        return Optional.empty();
    }

    /**
     * The names of every plug-in of a type on the class path, sorted, for error messages.
     *
     * @param type   the plug-in interface
     * @param nameOf how a plug-in tells its name
     * @param <T>    the plug-in interface
     * @return the names
     */
    public static <T> List<String> names(Class<T> type, Function<T, String> nameOf) {
        return ServiceLoader.load(type, type.getClassLoader()).stream().map(p -> nameOf.apply(p.get())).sorted().toList();
    }
}
