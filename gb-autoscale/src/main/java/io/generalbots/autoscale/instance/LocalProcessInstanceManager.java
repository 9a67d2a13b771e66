package io.generalbots.autoscale.instance;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.generalbots.scaling.Checks;
import io.generalbots.scaling.Ticker;
import io.generalbots.scaling.config.HostAndPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Instances as local OS processes (e.g. the demo botserver on free loopback ports): a command
 * template whose {@code {port}} is replaced by a free port. Draining is HTTP: {@code POST
 * DRAIN_PATH} (default {@code /api/drain}) turns the instance's health to {@code draining}; it is
 * drained when its health reports {@code "inflight": 0} in its {@code metrics} (or no longer
 * answers). Destroy sends SIGTERM, and SIGKILL after 10 s. {@link #close()} stops every process
 * it launched.
 */
public final class LocalProcessInstanceManager implements InstanceManager, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalProcessInstanceManager.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> command;
    private final String healthPath;
    private final String drainPath;
    private final Path logDir;
    private final Ticker ticker;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Map<String, Instance> instances = new LinkedHashMap<>();

    /**
     * Creates a manager.
     *
     * @param command    the command; each {@code {port}} in it is replaced by the instance's port
     * @param healthPath the health path, e.g. {@code /api/health}
     * @param drainPath  the path to {@code POST} to drain, e.g. {@code /api/drain}
     * @param logDir     where each process's output goes ({@code PORT.log}), or null to discard it
     * @param ticker     the launch order
     */
    public LocalProcessInstanceManager(List<String> command, String healthPath, String drainPath, Path logDir,
                                       Ticker ticker) {
        Checks.require(command != null && !command.isEmpty() && command.stream().anyMatch(a -> a.contains("{port}")),
                "command", "a command with {port} in it", command);
        Checks.require(healthPath != null && healthPath.startsWith("/"), "healthPath", "a path starting with /",
                healthPath);
        Checks.require(drainPath != null && drainPath.startsWith("/"), "drainPath", "a path starting with /", drainPath);
        this.command = List.copyOf(command);
        this.healthPath = healthPath;
        this.drainPath = drainPath;
        this.logDir = logDir;
        this.ticker = Objects.requireNonNull(ticker, "ticker");
    }

    @Override
    public synchronized List<Instance> list() {
        processes.entrySet().removeIf(e -> {
            if (!e.getValue().isAlive()) {
                LOG.warn("local: {} has exited with code {}", e.getKey(), e.getValue().exitValue());
                instances.remove(e.getKey());
                return true;
            }
            return false;
        });
        return new ArrayList<>(instances.values());
    }

    @Override
    public synchronized Instance launch() {
        int port = freePort();
        List<String> cmd = command.stream().map(a -> a.replace("{port}", Integer.toString(port))).toList();
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (logDir == null) {
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        } else {
            pb.redirectErrorStream(true).redirectOutput(logDir.resolve(port + ".log").toFile());
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new InstanceException("local: cannot start " + String.join(" ", cmd) + ": " + e.getMessage(), e);
        }
        String id = "local-" + port;
        Instance instance = new Instance(id, new HostAndPort("127.0.0.1", port), ticker.read());
        processes.put(id, p);
        instances.put(id, instance);
        LOG.info("local: launched {} (pid {})", id, p.pid());
        return instance;
    }

    @Override
    public void drain(Instance instance) {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + instance.address() + drainPath))
                .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.noBody()).build();
        try {
            HttpResponse<Void> r = http.send(req, HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() / 100 != 2) {
                throw new InstanceException("local: POST " + drainPath + " on " + instance.id() + " answered "
                        + r.statusCode());
            }
        } catch (IOException e) {
            throw new InstanceException("local: cannot drain " + instance.id() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InstanceException("local: interrupted draining " + instance.id(), e);
        }
    }

    @Override
    public boolean isDrained(Instance instance) {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + instance.address() + healthPath))
                .timeout(Duration.ofSeconds(5)).GET().build();
        try {
            JsonNode health = JSON.readTree(http.send(req, HttpResponse.BodyHandlers.ofString()).body());
            JsonNode inflight = health.path("metrics").path("inflight");
            return inflight.isNumber() && inflight.asLong() == 0;
        } catch (IOException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void destroy(Instance instance) {
        Process p;
        synchronized (this) {
            p = processes.remove(instance.id());
            instances.remove(instance.id());
        }
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        LOG.info("local: stopped {}", instance.id());
    }

    /** Stops every process this manager launched. */
    @Override
    public void close() {
        List<Instance> all;
        synchronized (this) {
            all = new ArrayList<>(instances.values());
        }
        for (Instance i : all) {
            destroy(i);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new InstanceException("local: no free port: " + e.getMessage(), e);
        }
    }
}
