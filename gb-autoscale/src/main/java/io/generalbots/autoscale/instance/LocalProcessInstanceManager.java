package io.generalbots.autoscale.instance;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.generalbots.scaling.Checks;
import io.generalbots.scaling.Ticker;
import io.generalbots.scaling.config.HostAndPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Instances as local OS processes (e.g. a botserver with {@code BotInstance} linked in, on free
 * loopback ports): a command template whose {@code {port}} is replaced by a free port. Draining
 * goes through the instances' control endpoint ({@link InstanceControlClient}: {@code POST
 * /api/instance/drain}, drained once {@code GET /api/instance/drain} says {@code drained} or
 * nothing listens any more), each call bounded by the client's timeout. Destroy sends SIGTERM (a
 * {@code BotInstance} then drains before it stops), and SIGKILL after 10 s. {@link #close()} stops
 * every process it launched.
 */
public final class LocalProcessInstanceManager implements InstanceManager, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalProcessInstanceManager.class);

    private final List<String> command;
    private final InstanceControlClient control;
    private final Path logDir;
    private final Ticker ticker;
    /** Held while a process starts: a lock, not the monitor. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Map<String, Instance> instances = new LinkedHashMap<>();

    /**
     * Creates a manager.
     *
     * @param command the command; each {@code {port}} in it is replaced by the instance's port
     * @param control how instances are drained (e.g. {@code InstanceControlClient.of(settings, health)})
     * @param logDir  where each process's output goes ({@code PORT.log}), or null to discard it
     * @param ticker  the launch order
     */
    public LocalProcessInstanceManager(List<String> command, InstanceControlClient control, Path logDir,
                                       Ticker ticker) {
        Checks.require(command != null && !command.isEmpty() && command.stream().anyMatch(a -> a.contains("{port}")),
                "command", "a command with {port} in it", command);
        this.command = List.copyOf(command);
        this.control = Objects.requireNonNull(control, "control");
        this.logDir = logDir;
        this.ticker = Objects.requireNonNull(ticker, "ticker");
    }

    @Override
    public List<Instance> list() {
        lock.lock();
        try {
            processes.entrySet().removeIf(e -> {
                if (!e.getValue().isAlive()) {
                    LOG.warn("instance {}: local process exited with code {}", e.getKey(), e.getValue().exitValue());
                    instances.remove(e.getKey());
                    return true;
                }
                return false;
            });
            return new ArrayList<>(instances.values());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Instance launch() {
        lock.lock();
        try {
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
            LOG.info("instance {}: launched as a local process (pid {})", id, p.pid());
            return instance;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void drain(Instance instance) {
        control.drain(instance);
    }

    @Override
    public boolean isDrained(Instance instance) {
        return control.isDrained(instance);
    }

    @Override
    public void destroy(Instance instance) {
        Process p;
        lock.lock();
        try {
            p = processes.remove(instance.id());
            instances.remove(instance.id());
        } finally {
            lock.unlock();
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
        LOG.info("instance {}: local process stopped", instance.id());
    }

    /** Stops every process this manager launched. */
    @Override
    public void close() {
        List<Instance> all;
        lock.lock();
        try {
            all = new ArrayList<>(instances.values());
        } finally {
            lock.unlock();
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
