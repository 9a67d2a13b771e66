package io.generalbots.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

/**
 * What the tests of gb-scale's commands share: running the command in process, as the shell
 * would, keeping its exit code, standard output and standard error, and writing the config files
 * it reads into a temporary directory.
 */
abstract class InProcessGbScale {

    /** Where {@link #file} writes. */
    @TempDir
    Path dir;

    /** What the last {@link #run} printed on standard output. */
    String out;
    /** What the last {@link #run} printed on standard error. */
    String err;

    /**
     * Runs {@code gb-scale ARGS...}.
     *
     * @param args the arguments
     * @return the exit code
     */
    int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = GbScale.run(new PrintWriter(o), new PrintWriter(e), args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    /**
     * Writes a file into {@link #dir}.
     *
     * @param name its name
     * @param text its content
     * @return its path, as an argument
     * @throws IOException if it cannot be written
     */
    String file(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p.toString();
    }
}
