package io.generalbots.scaling.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The LXD that the test script ({@code scripts/test}, {@code gb_setup_lxd} in
 * {@code scripts/services.sh}) starts and initialises: no bridge, a dir storage pool, and the
 * locally built busybox image {@value #IMAGE} in which the host's JDK runs through a read-only
 * {@code /usr} mount. When LXD or the image is missing, every use fails loudly: integration tests
 * are never skipped.
 *
 * <p>A test makes everything under one unique name prefix ({@link #uniquePrefix(String)}) and
 * removes it all in {@code finally} / {@code @AfterAll} with {@link #deleteContainers(String)}.
 */
public final class TestLxd {

    /** The image alias {@code gb_build_lxd_image} imports. */
    public static final String IMAGE = "gb-busybox";
    /** The host's JDK as seen inside a container with {@code /usr} mounted. */
    public static final String JAVA = "/usr/lib/jvm/java-17-openjdk-amd64/bin/java";

    /** The outcome of an {@code lxc} command. */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    private TestLxd() {
    }

    /**
     * Fails with the way out unless LXD answers and the image exists.
     */
    public static void require() {
        ServerProcess.requireBinary("lxc");
        Result info = lxc("info");
        if (info.exitCode() != 0) {
            throw new IllegalStateException("LXD does not answer (lxc info: " + info.stderr().strip() + "); run the "
                    + "README's test command (scripts/test), which starts and initialises it (gb_setup_lxd)");
        }
        Result image = lxc("image", "info", IMAGE);
        if (image.exitCode() != 0) {
            throw new IllegalStateException("LXD image " + IMAGE + " is missing (" + image.stderr().strip() + "); run "
                    + "the README's test command (scripts/test), which builds it (gb_build_lxd_image)");
        }
    }

    /**
     * A name prefix no other run uses, e.g. {@code gbit3fa2c-}: letters, digits, one dash at the end.
     *
     * @param base letters, e.g. {@code gbmgr}
     * @return the prefix
     */
    public static String uniquePrefix(String base) {
        return base + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff)) + "-";
    }

    /**
     * Runs {@code lxc ARGS} to its end (at most 2 minutes).
     *
     * @param args the arguments
     * @return the result
     */
    public static Result lxc(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("lxc");
        cmd.addAll(List.of(args));
        try {
            // stdin empty: lxc launch/init read a YAML configuration from a stdin that is not a terminal
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " did not end within 2 minutes");
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", cmd), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", cmd), e);
        }
    }

    /**
     * Runs {@code lxc ARGS} and fails with its error output unless it succeeds.
     *
     * @param args the arguments
     * @return its standard output
     */
    public static String lxcOk(String... args) {
        Result r = lxc(args);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("lxc " + String.join(" ", args) + " failed with exit code " + r.exitCode()
                    + ": " + r.stderr().strip());
        }
        return r.stdout();
    }

    /**
     * The names of the containers that {@code lxc list} shows with a prefix, sorted.
     *
     * @param prefix the prefix
     * @return the names
     */
    public static List<String> containers(String prefix) {
        return lxcOk("list", "-c", "n", "--format", "csv").lines().map(String::strip)
                .filter(n -> n.startsWith(prefix)).sorted().toList();
    }

    /**
     * Removes every container whose name starts with the prefix ({@code lxc delete --force}).
     *
     * @param prefix the prefix
     * @return the names removed
     */
    public static List<String> deleteContainers(String prefix) {
        List<String> names = containers(prefix);
        for (String n : names) {
            lxc("delete", "--force", n);
        }
        return names;
    }

    /** Debian's JDK keeps its configuration (java.security, net.properties, …) here, linked from /usr. */
    public static final String JDK_CONF = "/etc/java-17-openjdk";

    /**
     * Creates a profile that makes the image run a JVM: the host's {@code /usr} read-only at
     * {@code /usr}, the JDK's configuration {@value #JDK_CONF} read-only (without it the JVM fails
     * with "Error loading java.security file" as soon as anything reads a security property), and
     * a copy of the class path entries read-only at {@code /opt/gbo/app}.
     *
     * <p>The entries are copied (into {@code target/lxd-app-*}, readable by all) rather than mounted
     * where they are: the containers are unprivileged, so they see the host's files as "others",
     * and a local Maven repository may hold directories only their owner can read.
     *
     * @param name      the profile name (a {@link #uniquePrefix} and a word)
     * @param classPath the class path entries (jars or directories) the JVM in the container needs
     * @return the class path inside the container
     */
    public static String createJavaProfile(String name, List<Path> classPath) {
        Path stage;
        List<String> inside = new ArrayList<>();
        try {
            stage = Files.createDirectories(Path.of("target").toAbsolutePath().resolve("lxd-app-" + name));
            for (int i = 0; i < classPath.size(); i++) {
                Path entry = classPath.get(i).toAbsolutePath().normalize();
                String copy = i + "-" + entry.getFileName();
                copyReadable(entry, stage.resolve(copy));
                inside.add("/opt/gbo/app/" + copy);
            }
            readable(stage);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage the class path for profile " + name, e);
        }
        lxcOk("profile", "create", name);
        lxcOk("profile", "device", "add", name, "usr", "disk", "source=/usr", "path=/usr", "readonly=true");
        lxcOk("profile", "device", "add", name, "jdkconf", "disk", "source=" + JDK_CONF, "path=" + JDK_CONF,
                "readonly=true");
        lxcOk("profile", "device", "add", name, "app", "disk", "source=" + stage, "path=/opt/gbo/app",
                "readonly=true");
        return String.join(":", inside);
    }

    private static void copyReadable(Path from, Path to) throws IOException {
        try (java.util.stream.Stream<Path> tree = Files.walk(from)) {
            for (Path p : (Iterable<Path>) tree::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                readable(target);
            }
        }
    }

    private static void readable(Path p) throws IOException {
        Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(
                Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
    }

    /**
     * Deletes a profile if it exists.
     *
     * @param name the profile
     */
    public static void deleteProfile(String name) {
        lxc("profile", "delete", name);
    }

    /**
     * Where a class was loaded from (a jar or a classes directory): the class path entry to make
     * visible in a container.
     *
     * @param type the class
     * @return the entry
     */
    public static Path classPathEntryOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The class path entries the given classes were loaded from, each once, in order: what a JVM in
     * a container needs to run them (name one class of each library).
     *
     * @param classes one class of each jar or classes directory
     * @return the entries
     */
    public static List<Path> classPathOf(Class<?>... classes) {
        List<Path> out = new ArrayList<>();
        for (Class<?> c : classes) {
            Path entry = classPathEntryOf(c);
            if (!out.contains(entry)) {
                out.add(entry);
            }
        }
        return out;
    }

    /**
     * The entries of this JVM's class path.
     *
     * @return the entries
     */
    public static List<Path> classPath() {
        return List.of(System.getProperty("java.class.path").split(File.pathSeparator)).stream()
                .filter(s -> !s.isEmpty()).map(Path::of).filter(Files::exists).toList();
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
