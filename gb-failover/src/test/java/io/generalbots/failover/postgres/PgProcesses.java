package io.generalbots.failover.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.generalbots.scaling.testing.ServerProcess;

/**
 * Runs PostgreSQL-side processes (PostgreSQL, Patroni, etcd) as the {@code postgres} user, which
 * PostgreSQL requires: the tests run as root and use {@code setpriv}, which execs (so the child's
 * pid is the server's own and killing it kills the server, not a wrapper).
 */
final class PgProcesses {

    static final String BIN_DIR = "/usr/lib/postgresql/15/bin";

    private PgProcesses() {
    }

    /** A temp dir under /tmp owned by postgres. */
    static Path tempDir(String prefix) {
        requireRoot();
        try {
            Path dir = Files.createTempDirectory(Path.of("/tmp"), prefix);
            chown(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void requireRoot() {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("the PostgreSQL failover tests start PostgreSQL, Patroni and etcd as the "
                    + "postgres user and must run as root (as scripts/test does); user is "
                    + System.getProperty("user.name"));
        }
    }

    static void chown(Path path) throws IOException {
        UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal user = lookup.lookupPrincipalByName("postgres");
        GroupPrincipal group = lookup.lookupPrincipalByGroupName("postgres");
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        view.setOwner(user);
        view.setGroup(group);
    }

    static Path write(Path file, String text) {
        try {
            Files.writeString(file, text);
            chown(file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a command as postgres, output appended to the log. */
    static Process start(List<String> command, Path log) {
        List<String> cmd = new ArrayList<>(List.of(ServerProcess.requireBinary("setpriv"), "--reuid=postgres",
                "--regid=postgres", "--init-groups", "--"));
        String first = command.get(0);
        cmd.add(first.startsWith("/") ? first : ServerProcess.requireBinary(first));
        cmd.addAll(command.subList(1, command.size()));
        try {
            Files.createDirectories(log.getParent());
            return new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).directory(new java.io.File("/tmp"))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
    }

    /** Runs a command as postgres to completion; fails with its output on a non-zero exit. */
    static void run(List<String> command, Path log, long timeoutSeconds) {
        Process p = start(command, log);
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command + " did not finish in " + timeoutSeconds + " s; log " + log);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(command + " exited with " + p.exitValue() + "; log:\n" + tail(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The postmaster's pid from its data directory, or -1. */
    static long postmasterPid(Path dataDir) {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"));
            return lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /**
     * SIGKILLs the postmaster of a data directory and its children, if it runs: the pid file may be
     * stale after a kill, so the pid's command line must name the directory (never kill a stranger).
     */
    static void killPostmaster(Path dataDir) {
        long pid = postmasterPid(dataDir);
        if (pid <= 0) {
            return;
        }
        boolean ours = ProcessHandle.of(pid).flatMap(h -> h.info().commandLine())
                .map(cmd -> cmd.contains(dataDir.toString())).orElse(false);
        if (ours) {
            killTree(pid);
        }
    }

    /** SIGKILLs a process and every descendant (as a crash of the machine would end them). */
    static void killTree(long pid) {
        if (pid <= 0) {
            return;
        }
        ProcessHandle.of(pid).ifPresent(h -> {
            List<ProcessHandle> all = new ArrayList<>();
            all.add(h);
            h.descendants().forEach(all::add);
            all.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle p : all) {
                try {
                    p.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // best effort
                }
            }
        });
    }

    /** SIGTERMs a process, then SIGKILLs it after the grace period. */
    static void stop(Process p, long graceSeconds) {
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                killTree(p.pid());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killTree(p.pid());
        }
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // leave it
                }
            });
        } catch (IOException e) {
            // leave it
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log " + log + ")";
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
