package io.generalbots.scaling.testing;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Runs code on this test's class path without some jars, in a class loader of its own, to see
 * what a user who did not add an optional dependency sees.
 *
 * <pre>{@code
 * public static final class Probe implements Callable<String> {
 *     public String call() {
 *         try { RateLimiters.of(settings); return "built"; } catch (RuntimeException e) { return e.getMessage(); }
 *     }
 * }
 * assertThat(IsolatedClassPath.without("lettuce-core").call(Probe.class)).isEqualTo("rate-limit-redis needs ...");
 * }</pre>
 *
 * <p>The probe is loaded again by the isolated loader, so it may only hand back JDK types
 * (a {@code String} message is the usual answer).
 */
public final class IsolatedClassPath {

    private final List<String> excluded;

    private IsolatedClassPath(List<String> excluded) {
        this.excluded = List.copyOf(excluded);
    }

    /**
     * This test's class path without the entries whose path contains any of the parts, e.g.
     * {@code lettuce-core}, {@code postgresql-}, {@code /io/qdrant/}.
     *
     * @param jarNameParts parts of jar file names
     * @return the class path
     */
    public static IsolatedClassPath without(String... jarNameParts) {
        return new IsolatedClassPath(Arrays.asList(jarNameParts));
    }

    /**
     * The class path entries used, after the exclusions.
     *
     * @return the entries
     */
    public List<Path> entries() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<Path> out = new ArrayList<>();
        for (String entry : cp.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path p = Path.of(entry);
            String path = p.toString().replace(File.separatorChar, '/');
            if (excluded.stream().noneMatch(path::contains)) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Loads the probe in a class loader over {@link #entries()} (parent: the platform loader, so
     * nothing leaks in from the test's own loader), runs it, and closes the loader.
     *
     * @param probe a public class with a public no-argument constructor
     * @param <T>   a JDK type
     * @return what the probe returned
     * @throws Exception what the probe threw
     */
    @SuppressWarnings("unchecked")
    public <T> T call(Class<? extends Callable<T>> probe) throws Exception {
        List<URL> urls = new ArrayList<>();
        for (Path p : entries()) {
            try {
                urls.add(p.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException(p.toString(), e);
            }
        }
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader("isolated", urls.toArray(new URL[0]),
                ClassLoader.getPlatformClassLoader())) {
            Thread.currentThread().setContextClassLoader(loader);
            Class<?> type = Class.forName(probe.getName(), true, loader);
            return ((Callable<T>) type.getConstructor().newInstance()).call();
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }
}
