package io.generalbots.failover.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Writes measured failover figures to the console and to target/failover-results.txt. */
final class Results {

    private Results() {
    }

    static void record(String label, Object run) {
        String line = label + ": " + run;
        System.out.println(line);
        try {
            Files.writeString(Path.of("target", "failover-results.txt"), line + System.lineSeparator(),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("cannot write target/failover-results.txt: " + e);
        }
    }
}
