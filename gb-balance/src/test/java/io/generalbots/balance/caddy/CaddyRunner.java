package io.generalbots.balance.caddy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.generalbots.scaling.testing.ServerProcess;

/** Runs the real {@code caddy adapt}; fails loudly when caddy is not installed. */
final class CaddyRunner {

    record Adapted(int exitCode, String output, JsonNode json) {
    }

    private CaddyRunner() {
    }

    static Adapted adapt(String caddyfile) {
        String caddy = ServerProcess.requireBinary("caddy");
        try {
            Path dir = Files.createDirectories(Path.of("target", "caddy"));
            Path file = Files.createTempFile(dir, "Caddyfile", "");
            Files.writeString(file, caddyfile);
            Process p = new ProcessBuilder(List.of(caddy, "adapt", "--config", file.toString(), "--adapter", "caddyfile"))
                    .redirectErrorStream(false).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("caddy adapt hung");
            }
            JsonNode json = p.exitValue() == 0 ? new ObjectMapper().readTree(out) : null;
            return new Adapted(p.exitValue(), p.exitValue() == 0 ? err : err + out, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
