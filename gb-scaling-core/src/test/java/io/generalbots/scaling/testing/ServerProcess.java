package io.generalbots.scaling.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A server binary (redis-server, caddy, …) run by a test as a child process, its output in a log
 * file under {@code target/}. A missing binary fails loudly: the test script installs them.
 */
public class ServerProcess implements AutoCloseable {

    private final String name;
    private final List<String> command;
    private final Path log;
    private Process process;

    /**
     * Describes a process; {@link #start()} runs it.
     *
     * @param name    a name for the log file
     * @param command the command line; the first element is looked up on PATH
     */
    public ServerProcess(String name, List<String> command) {
        this.name = name;
        this.command = List.copyOf(command);
        try {
            Path dir = Path.of("target", "servers");
            Files.createDirectories(dir);
            this.log = dir.resolve(name + ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The absolute path of a binary, looked up on PATH and in /usr/sbin, /usr/bin.
     *
     * @param binary the name, e.g. {@code redis-server}
     * @return the path
     * @throws IllegalStateException naming the binary and the test script if it is missing
     */
    public static String requireBinary(String binary) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.add("/usr/sbin");
        dirs.add("/usr/bin");
        dirs.add("/usr/local/bin");
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, binary);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new IllegalStateException(binary + " is not installed; run the README's test command "
                + "(scripts/test), which installs the servers the integration tests need");
    }

    /**
     * Starts the process (launch it).
     *
     * @return this
     */
    public ServerProcess launch() {
        List<String> cmd = new ArrayList<>(command);
        cmd.set(0, requireBinary(cmd.get(0)));
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + cmd, e);
        }
        return this;
    }

    /**
     * Waits until a condition holds, failing with the log's tail if the process dies or time runs out.
     *
     * @param what      what is awaited, for the message
     * @param condition the condition
     * @param timeout   how long to wait
     */
    public void awaitReady(String what, BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before " + what
                        + "; log:\n" + tail());
            }
            sleep(50);
        }
        throw new IllegalStateException(name + " not ready (" + what + ") after " + timeout + "; log:\n" + tail());
    }

    /**
     * Whether the process runs.
     *
     * @return true while alive
     */
    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /**
     * The operating-system process id.
     *
     * @return the pid
     */
    public long pid() {
        return process.pid();
    }

    /** Kills the process at once (SIGKILL), as a crash would. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Stops the process (SIGTERM, then SIGKILL after 5 s). */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    /**
     * The last lines of the process's log.
     *
     * @return up to 40 lines
     */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
