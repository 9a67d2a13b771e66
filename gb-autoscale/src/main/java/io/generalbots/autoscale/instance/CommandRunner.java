package io.generalbots.autoscale.instance;

import java.util.List;

/**
 * Runs the commands of an instance manager (e.g. {@code lxc ...}); a seam so that tests check
 * the exact argument lists where the real tool cannot run.
 */
public interface CommandRunner {

    /**
     * The outcome of a command.
     *
     * @param exitCode its exit code
     * @param stdout   its standard output
     * @param stderr   its standard error
     */
    record Result(int exitCode, String stdout, String stderr) {
    }

    /**
     * Runs a command to its end.
     *
     * @param command the program and its arguments
     * @return the result
     * @throws InstanceException if it cannot be started or does not end in time
     */
    Result run(List<String> command);

    /**
     * Starts a command in the background (the seed's {@code &}) and does not wait for it.
     *
     * @param command the program and its arguments
     * @throws InstanceException if it cannot be started
     */
    void spawn(List<String> command);
}
