package io.generalbots.autoscale.instance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.generalbots.scaling.Checks;

/**
 * Runs commands as OS processes, each with a time limit. Their standard input is empty (not an
 * open pipe): {@code lxc launch} and {@code lxc init} read a YAML configuration from a standard
 * input that is not a terminal, and would wait for it forever.
 */
public final class ProcessCommandRunner implements CommandRunner {

    private static final java.io.File NO_INPUT = new java.io.File("/dev/null");

    private final Duration timeout;

    /**
     * Creates a runner.
     *
     * @param timeout how long one command may run (e.g. 5 minutes for {@code lxc launch})
     */
    public ProcessCommandRunner(Duration timeout) {
        this.timeout = Checks.requirePositive("timeout", timeout);
    }

    @Override
    public Result run(List<String> command) {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(NO_INPUT)).start();
        } catch (IOException e) {
            throw new InstanceException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new InstanceException(String.join(" ", command) + " did not end within " + timeout.toMillis()
                        + " ms");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InstanceException(String.join(" ", command) + " was interrupted", e);
        }
        return new Result(p.exitValue(), out.join(), err.join());
    }

    @Override
    public void spawn(List<String> command) {
        try {
            new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(NO_INPUT)).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new InstanceException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
