package io.generalbots.autoscale.instance;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.generalbots.autoscale.HealthEndpointMetricsSource;
import io.generalbots.autoscale.InstanceMetrics;
import io.generalbots.scaling.Checks;
import io.generalbots.scaling.Sleeper;
import io.generalbots.scaling.Ticker;
import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.scaling.HttpClients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Instances as LXD containers named {@code botserver-N}, made with the seed's commands and
 * reached the seed's way, through a proxy device on the host:
 *
 * <pre>
 * lxc list --format json                                    (names in use, proxy ports in use)
 * lxc launch IMAGE botserver-N [-p PROFILE ...]
 * lxc config set botserver-N limits.cpu 4
 * lxc config set botserver-N limits.memory 8GB
 * lxc config set botserver-N limits.disk.priority 5
 * lxc config device set botserver-N eth0 limits.ingress 100Mbit
 * lxc config device set botserver-N eth0 limits.egress 100Mbit
 * lxc config device add botserver-N http proxy listen=tcp:127.0.0.1:PORT connect=tcp:127.0.0.1:8080
 * lxc file push -p /opt/gbo/conf/botserver.env botserver-N/opt/gbo/conf/
 * lxc exec botserver-N -- sh -c "setsid /opt/gbo/bin/botserver &gt; /var/log/botserver.log 2&gt;&amp;1 &lt; /dev/null &amp;"
 * GET http://127.0.0.1:PORT/api/health                      (until ready, at most the start timeout)
 * </pre>
 *
 * <p>Where the seed is silent or wrong, and why:
 * <ul>
 *   <li><b>Names</b>: N is one more than the highest number in use (the seed's "count + 1" reuses a
 *       name after a gap).</li>
 *   <li><b>Address</b>: no IPv4 address from DHCP is assumed (a host without a bridge has none). Each
 *       instance gets the seed's proxy device, listening on the host's loopback (not the seed's
 *       {@code 0.0.0.0}, which would expose every instance on every interface), and its address is
 *       that listen address. The port is the lowest of the port range that no proxy device of any
 *       container (running or stopped, so also across restarts of containers and of the scaler)
 *       listens on in LXD's configuration, and that is free on the host right now; if it is taken
 *       in between, the next one is tried.</li>
 *   <li><b>Limits</b>: where LXD refuses a limit (e.g. {@code limits.disk.priority} without the
 *       blkio cgroup controller, NIC limits on a container without {@code eth0}), it is logged as a
 *       warning once per limit and the launch goes on without it.</li>
 *   <li><b>Start</b>: the seed's {@code lxc exec … botserver &amp;} ties botserver to the
 *       {@code lxc exec} client: when the scaler that launched it dies, LXD kills botserver too. The
 *       start command is therefore detached inside the container ({@code setsid}, output to a log
 *       file), and {@code lxc exec} returns at once.</li>
 *   <li><b>Ready</b>: the launch returns only once the instance answers its health endpoint as
 *       ready (HTTP 2xx, or a health report whose status is {@code healthy} or {@code degraded});
 *       otherwise it fails after the start timeout naming the container, with the end of its log.</li>
 *   <li><b>Failure</b>: a launch that fails at any step (bad image, LXD down, never ready) removes
 *       the container again ({@code lxc delete --force}), so nothing half-made is left; the scaler
 *       publishes {@code ScalingFailed} and retries after the cooldown.</li>
 *   <li><b>Drain</b>: {@code botserver drain} does not exist; the instance is told through its
 *       control endpoint ({@link InstanceControlClient}: {@code POST /api/instance/drain}, with the
 *       {@code scale-control-token} it needs behind a proxy device) and is destroyed once that
 *       says {@code drained}. {@link Builder#drainCommand} brings back the seed's
 *       {@code lxc exec … drain}.</li>
 *   <li><b>Destroy</b>: {@code lxc stop --timeout 30} then {@code lxc delete}; a container that does
 *       not stop in time is removed with {@code lxc delete --force}.</li>
 * </ul>
 *
 * <p>{@link #list()} is every container of {@code lxc list} named {@code PREFIX + number}, in any
 * state: the manager's view never differs from LXD's.
 */
public final class LxcInstanceManager implements InstanceManager {

    private static final Logger LOG = LoggerFactory.getLogger(LxcInstanceManager.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTEN = Pattern.compile("tcp:(.+):(\\d+)(?:-(\\d+))?");
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_/.:=@%+,-]+");
    /** The name of the proxy device, as in the seed's {@code lxc config device add … http proxy}. */
    public static final String PROXY_DEVICE = "http";
    /** Tries of the next free port when LXD cannot listen on the one chosen. */
    private static final int PORT_TRIES = 3;

    /**
     * Asks a new instance whether it is ready.
     */
    @FunctionalInterface
    public interface ReadinessProbe {

        /**
         * Probes an instance once.
         *
         * @param address where it serves HTTP
         * @return the answer
         */
        Answer probe(HostAndPort address);

        /**
         * One probe's answer.
         *
         * @param ready  whether the instance is ready
         * @param detail what it answered (for the timeout message), e.g. {@code 503 {"status":"starting"}}
         */
        record Answer(boolean ready, String detail) {
        }
    }

    private final CommandRunner runner;
    private final String prefix;
    private final String image;
    private final List<String> profiles;
    private final String limitsCpu;
    private final String limitsMemory;
    private final String diskPriority;
    private final String nic;
    private final String ingress;
    private final String egress;
    private final String envFile;
    private final String envDir;
    private final List<String> startCommand;
    private final String logFile;
    private final int port;
    private final String listenHost;
    private final int firstPort;
    private final int lastPort;
    private final String healthPath;
    private final Duration startTimeout;
    private final Duration pollInterval;
    private final InstanceControlClient control;
    private final List<String> drainCommand;
    private final Ticker ticker;
    private final Sleeper sleeper;
    private final HttpClient http;
    private final ReadinessProbe probe;
    private final java.util.function.BiPredicate<String, Integer> portFree;
    private final Set<String> warned = new java.util.LinkedHashSet<>();
    /** Held over a launch (lxc commands, the wait for readiness): a lock, not the monitor. */
    private final ReentrantLock launchLock = new ReentrantLock();

    private LxcInstanceManager(Builder b) {
        this.runner = b.runner;
        this.prefix = b.prefix;
        this.image = b.image;
        this.profiles = List.copyOf(b.profiles);
        this.limitsCpu = b.limitsCpu;
        this.limitsMemory = b.limitsMemory;
        this.diskPriority = b.diskPriority;
        this.nic = b.nic;
        this.ingress = b.ingress;
        this.egress = b.egress;
        this.envFile = b.envFile;
        this.envDir = b.envDir;
        this.startCommand = List.copyOf(b.startCommand);
        this.logFile = b.logFile;
        this.port = b.port;
        this.listenHost = b.listenHost;
        this.firstPort = b.firstPort;
        this.lastPort = b.lastPort;
        this.healthPath = b.healthPath;
        this.startTimeout = b.startTimeout;
        this.pollInterval = b.pollInterval;
        this.control = b.control;
        this.drainCommand = b.drainCommand == null ? null : List.copyOf(b.drainCommand);
        this.ticker = b.ticker;
        this.sleeper = b.sleeper;
        this.http = HttpClients.http11(Duration.ofSeconds(2));
        this.probe = b.probe != null ? b.probe : this::probeHealth;
        this.portFree = b.portFree;
    }

    /**
     * A builder with the seed's values.
     *
     * @param runner runs the {@code lxc} commands
     * @return the builder
     */
    public static Builder custom(CommandRunner runner) {
        return new Builder(runner);
    }

    /**
     * The limits LXD refused so far (e.g. {@code limits.disk.priority} without the blkio cgroup
     * controller); each was logged as a warning once.
     *
     * @return the limits, in the order first refused
     */
    public List<String> refusedLimits() {
        synchronized (warned) {
            return List.copyOf(warned);
        }
    }

    /** A container as {@code lxc list --format json} shows it. */
    private record Container(String name, int number, String status, HostAndPort address, Set<Integer> listenPorts) {
    }

    @Override
    public List<Instance> list() {
        List<Instance> out = new ArrayList<>();
        for (Container c : containers()) {
            if (c.number() > 0) {
                out.add(new Instance(c.name(), c.address(), c.number()));
            }
        }
        return out;
    }

    @Override
    public Instance launch() {
        launchLock.lock();
        try {
            List<Container> all = containers();
            int next = 1;
            Set<Integer> used = new HashSet<>();
            for (Container c : all) {
                next = Math.max(next, c.number() + 1);
                used.addAll(c.listenPorts());
            }
            String name = prefix + next;
            long started = ticker.read();
            LOG.info("lxc {}: launching from image {}", name, image);
            try {
                List<String> launch = new ArrayList<>(List.of("lxc", "launch", image, name));
                for (String profile : profiles) {
                    launch.add("-p");
                    launch.add(profile);
                }
                check(runner.run(launch), "launch " + name);
                limit(name, limitsCpu, "limits.cpu", "lxc", "config", "set", name, "limits.cpu");
                limit(name, limitsMemory, "limits.memory", "lxc", "config", "set", name, "limits.memory");
                limit(name, diskPriority, "limits.disk.priority", "lxc", "config", "set", name, "limits.disk.priority");
                limit(name, ingress, "limits.ingress on " + nic, "lxc", "config", "device", "set", name, nic,
                        "limits.ingress");
                limit(name, egress, "limits.egress on " + nic, "lxc", "config", "device", "set", name, nic,
                        "limits.egress");
                HostAndPort address = addProxyDevice(name, used);
                if (envFile != null) {
                    check(runner.run(List.of("lxc", "file", "push", "-p", envFile, name + envDir)), "file push " + name);
                }
                check(runner.run(List.of("lxc", "exec", name, "--", "sh", "-c", "setsid " + shell(startCommand) + " > "
                        + logFile + " 2>&1 < /dev/null &")), "start " + name);
                awaitReady(name, address);
                LOG.info("lxc {}: ready at {} after {} ms", name, address, (ticker.read() - started) / 1_000_000);
                return new Instance(name, address, next);
            } catch (InstanceException e) {
                LOG.warn("lxc {}: launch failed, removing the container: {}", name, e.getMessage());
                try {
                    CommandRunner.Result r = runner.run(List.of("lxc", "delete", "--force", name));
                    if (r.exitCode() != 0) {
                        LOG.debug("lxc {}: nothing to remove ({})", name, r.stderr().strip());
                    }
                } catch (InstanceException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
        } finally {
            launchLock.unlock();
        }
    }

    /**
     * Sets one of the seed's limits ({@code COMMAND... VALUE}) unless its value is null; a refusal is
     * a warning (once per limit), not a failed launch.
     */
    private void limit(String name, String value, String what, String... command) {
        if (value == null) {
            return;
        }
        List<String> cmd = new ArrayList<>(List.of(command));
        cmd.add(value);
        CommandRunner.Result r = runner.run(cmd);
        if (r.exitCode() != 0) {
            String why = r.stderr().strip();
            boolean first;
            synchronized (warned) {
                first = warned.add(what);
            }
            if (first) {
                LOG.warn("lxc {}: LXD refused {} ({}); instances run without it (warned once)", name, what, why);
            } else {
                LOG.debug("lxc {}: LXD refused {} ({})", name, what, why);
            }
        }
    }

    private HostAndPort addProxyDevice(String name, Set<Integer> used) {
        Set<Integer> tried = new HashSet<>(used);
        InstanceException last = null;
        for (int attempt = 0; attempt < PORT_TRIES; attempt++) {
            int p = freePort(name, tried);
            tried.add(p);
            CommandRunner.Result r = runner.run(List.of("lxc", "config", "device", "add", name, PROXY_DEVICE, "proxy",
                    "listen=tcp:" + listenHost + ":" + p, "connect=tcp:127.0.0.1:" + port));
            if (r.exitCode() == 0) {
                return new HostAndPort(listenHost, p);
            }
            last = new InstanceException("lxc proxy device " + name + " failed with exit code " + r.exitCode() + ": "
                    + r.stderr().strip());
            LOG.warn("lxc {}: cannot listen on {}:{} ({}), trying another port", name, listenHost, p,
                    r.stderr().strip());
        }
        throw last;
    }

    private int freePort(String name, Set<Integer> taken) {
        for (int p = firstPort; p <= lastPort; p++) {
            if (!taken.contains(p) && portFree.test(listenHost, p)) {
                return p;
            }
        }
        throw new InstanceException("lxc: no free port for the proxy device of " + name + " in " + firstPort + ".."
                + lastPort + " on " + listenHost + " (" + taken.size() + " are configured in LXD)");
    }

    private static boolean isFree(String host, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getByName(host), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void awaitReady(String name, HostAndPort address) {
        long deadline = ticker.read() + startTimeout.toNanos();
        ReadinessProbe.Answer answer;
        while (true) {
            answer = probe.probe(address);
            if (answer.ready()) {
                return;
            }
            if (ticker.read() - deadline >= 0) {
                break;
            }
            try {
                sleeper.sleep(pollInterval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InstanceException("lxc: interrupted while waiting for " + name + " to be ready", e);
            }
        }
        String log = "";
        try {
            CommandRunner.Result tail = runner.run(List.of("lxc", "exec", name, "--", "tail", "-n", "20", logFile));
            if (tail.exitCode() == 0 && !tail.stdout().isBlank()) {
                log = "; the end of its " + logFile + ":\n" + tail.stdout().strip();
            }
        } catch (InstanceException e) {
            LOG.debug("lxc {}: cannot read {}: {}", name, logFile, e.getMessage());
        }
        throw new InstanceException("lxc: " + name + " did not answer GET http://" + address + healthPath
                + " as ready within " + startTimeout.toSeconds() + " s (last answer: " + answer.detail() + ")" + log);
    }

    private ReadinessProbe.Answer probeHealth(HostAndPort address) {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + address + healthPath))
                .timeout(Duration.ofSeconds(2)).GET().build();
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            InstanceMetrics health = HealthEndpointMetricsSource.parse(r.body());
            boolean ready = health != null ? health.ready() : r.statusCode() / 100 == 2;
            return new ReadinessProbe.Answer(ready, r.statusCode() + " " + abbreviate(r.body().strip()));
        } catch (IOException e) {
            // a proxy device accepts the connection on the host even when nothing listens in the container
            String detail = String.valueOf(e.getMessage()).contains("received no bytes")
                    ? "connection closed without an HTTP answer: does anything listen on port " + port
                    + " in the container?" : e.getClass().getSimpleName() + (e.getMessage() == null ? ""
                    : " " + e.getMessage());
            return new ReadinessProbe.Answer(false, detail);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ReadinessProbe.Answer(false, "interrupted");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }

    @Override
    public void drain(Instance instance) {
        if (drainCommand != null) {
            List<String> cmd = new ArrayList<>(List.of("lxc", "exec", instance.id(), "--"));
            cmd.addAll(drainCommand);
            check(runner.run(cmd), "drain " + instance.id());
        } else {
            control.drain(instance);
        }
        LOG.info("lxc {}: draining", instance.id());
    }

    @Override
    public boolean isDrained(Instance instance) {
        return drainCommand == null && control.isDrained(instance);
    }

    @Override
    public void destroy(Instance instance) {
        String name = instance.id();
        CommandRunner.Result stop = runner.run(List.of("lxc", "stop", name, "--timeout", "30"));
        if (stop.exitCode() == 0) {
            check(runner.run(List.of("lxc", "delete", name)), "delete " + name);
        } else {
            LOG.warn("lxc {}: did not stop cleanly ({}); removing it by force", name, stop.stderr().strip());
            check(runner.run(List.of("lxc", "delete", "--force", name)), "delete --force " + name);
        }
        LOG.info("lxc {}: destroyed", name);
    }

    private List<Container> containers() {
        CommandRunner.Result r = check(runner.run(List.of("lxc", "list", "--format", "json")), "list");
        JsonNode root;
        try {
            root = JSON.readTree(r.stdout());
        } catch (IOException e) {
            throw new InstanceException("lxc list --format json printed JSON that cannot be read: " + e.getMessage(), e);
        }
        if (root == null || !root.isArray()) {
            throw new InstanceException("lxc list --format json printed no JSON array: " + abbreviate(r.stdout()));
        }
        List<Container> out = new ArrayList<>();
        for (JsonNode c : root) {
            String name = c.path("name").asText();
            Set<Integer> ports = new HashSet<>();
            HostAndPort address = null;
            JsonNode devices = c.path("expanded_devices");
            for (Map.Entry<String, JsonNode> d : devices.properties()) {
                if (!"proxy".equals(d.getValue().path("type").asText())) {
                    continue;
                }
                Matcher m = LISTEN.matcher(d.getValue().path("listen").asText());
                if (!m.matches()) {
                    continue;
                }
                int from = Integer.parseInt(m.group(2));
                int to = m.group(3) == null ? from : Integer.parseInt(m.group(3));
                for (int p = from; p <= to && p <= 65535; p++) {
                    ports.add(p);
                }
                boolean toPort = d.getValue().path("connect").asText().endsWith(":" + port);
                if (toPort && from > 0 && (address == null || d.getKey().equals(PROXY_DEVICE))) {
                    address = new HostAndPort(reachable(m.group(1)), from);
                }
            }
            if (address == null) {
                address = new HostAndPort(firstIpv4(c.path("state").path("network")).orElse(name), port);
            }
            out.add(new Container(name, number(name), c.path("status").asText(), address, ports));
        }
        return out;
    }

    /** A wildcard listen address is reached on loopback from this host. */
    private static String reachable(String listen) {
        String host = listen.startsWith("[") && listen.endsWith("]") ? listen.substring(1, listen.length() - 1)
                : listen;
        return host.equals("0.0.0.0") ? "127.0.0.1" : host.equals("::") ? "::1" : host;
    }

    private static java.util.Optional<String> firstIpv4(JsonNode network) {
        for (Map.Entry<String, JsonNode> nic : network.properties()) {
            if (nic.getKey().equals("lo")) {
                continue;
            }
            for (JsonNode a : nic.getValue().path("addresses")) {
                if ("inet".equals(a.path("family").asText()) && "global".equals(a.path("scope").asText())) {
                    return java.util.Optional.of(a.path("address").asText());
                }
            }
        }
        return java.util.Optional.empty();
    }

    private int number(String name) {
        if (!name.startsWith(prefix)) {
            return 0;
        }
        String n = name.substring(prefix.length());
        if (!n.matches("[1-9][0-9]{0,8}")) {
            return 0;
        }
        return Integer.parseInt(n);
    }

    private static CommandRunner.Result check(CommandRunner.Result r, String what) {
        if (r.exitCode() != 0) {
            throw new InstanceException("lxc " + what + " failed with exit code " + r.exitCode() + ": "
                    + r.stderr().strip());
        }
        return r;
    }

    /**
     * A command line as {@code sh} reads it: arguments with only safe characters as they are, others
     * in single quotes.
     *
     * @param command the program and its arguments
     * @return the line
     */
    static String shell(List<String> command) {
        StringBuilder sb = new StringBuilder();
        for (String arg : command) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(SAFE.matcher(arg).matches() ? arg : "'" + arg.replace("'", "'\\''") + "'");
        }
        return sb.toString();
    }

    /** Builds an {@link LxcInstanceManager}; every value defaults to the seed's. */
    public static final class Builder {
        private final CommandRunner runner;
        private String prefix = "botserver-";
        private String image = "images:debian/12";
        private List<String> profiles = List.of();
        private String limitsCpu = "4";
        private String limitsMemory = "8GB";
        private String diskPriority = "5";
        private String nic = "eth0";
        private String ingress = "100Mbit";
        private String egress = "100Mbit";
        private String envFile = "/opt/gbo/conf/botserver.env";
        private String envDir = "/opt/gbo/conf/";
        private List<String> startCommand = List.of("/opt/gbo/bin/botserver");
        private String logFile = "/var/log/botserver.log";
        private int port = 8080;
        private String listenHost = "127.0.0.1";
        private int firstPort = 8081;
        private int lastPort = 9080;
        private String healthPath = "/api/health";
        private Duration startTimeout = Duration.ofSeconds(120);
        private Duration pollInterval = Duration.ofMillis(200);
        private InstanceControlClient control = InstanceControlClient.of(Duration.ofSeconds(5));
        private List<String> drainCommand;
        private Ticker ticker = Ticker.system();
        private Sleeper sleeper = Sleeper.system();
        private ReadinessProbe probe;
        private java.util.function.BiPredicate<String, Integer> portFree = LxcInstanceManager::isFree;

        private Builder(CommandRunner runner) {
            this.runner = Objects.requireNonNull(runner, "runner");
        }

        /**
         * The name prefix of the containers (default {@code botserver-}); a container is one of
         * this manager's when its name is the prefix and a number.
         *
         * @param prefix letters, digits and dashes, starting with a letter
         * @return this
         */
        public Builder prefix(String prefix) {
            Checks.require(prefix != null && prefix.matches("[A-Za-z][A-Za-z0-9-]{0,50}"), "prefix",
                    "letters, digits and dashes starting with a letter", prefix);
            this.prefix = prefix;
            return this;
        }

        /**
         * The image (default the seed's {@code images:debian/12}), e.g. a local alias.
         *
         * @param image the image
         * @return this
         */
        public Builder image(String image) {
            Checks.require(image != null && !image.isBlank(), "image", "an image name or alias", image);
            this.image = image;
            return this;
        }

        /**
         * The profiles of new containers, in order ({@code lxc launch … -p P …}); by default none is
         * given and LXD applies its {@code default} profile. Name {@code default} too when it is wanted.
         *
         * @param profiles the profile names
         * @return this
         */
        public Builder profiles(String... profiles) {
            for (String p : profiles) {
                Checks.require(p != null && p.matches("[A-Za-z0-9][A-Za-z0-9._-]*"), "profile", "a profile name", p);
            }
            this.profiles = List.of(profiles);
            return this;
        }

        /**
         * {@code limits.cpu} of new containers (default {@code 4}).
         *
         * @param cpus the number of cores
         * @return this
         */
        public Builder limitsCpu(int cpus) {
            Checks.requireRange("limits.cpu", cpus, 1, 1024);
            this.limitsCpu = Integer.toString(cpus);
            return this;
        }

        /**
         * {@code limits.memory} of new containers (default {@code 8GB}).
         *
         * @param memory e.g. {@code 8GB} or {@code 512MiB}
         * @return this
         */
        public Builder limitsMemory(String memory) {
            Checks.require(memory != null && memory.matches("\\d+(\\.\\d+)?([kMGTPE]i?B)?"),
                    "limits.memory", "a size such as 8GB or 512MiB", memory);
            this.limitsMemory = memory;
            return this;
        }

        /**
         * {@code limits.disk.priority} of new containers (default {@code 5}); null leaves it unset.
         *
         * @param priority 0..10, or null
         * @return this
         */
        public Builder limitsDiskPriority(Integer priority) {
            if (priority != null) {
                Checks.requireRange("limits.disk.priority", priority, 0, 10);
            }
            this.diskPriority = priority == null ? null : priority.toString();
            return this;
        }

        /**
         * The NIC limits {@code limits.ingress} and {@code limits.egress} of device {@code nic}
         * (default {@code eth0}, {@code 100Mbit} each); a null rate leaves it unset.
         *
         * @param nic     the NIC device name
         * @param ingress e.g. {@code 100Mbit}, or null
         * @param egress  e.g. {@code 100Mbit}, or null
         * @return this
         */
        public Builder networkLimits(String nic, String ingress, String egress) {
            Checks.require(nic != null && nic.matches("[A-Za-z0-9._-]+"), "nic", "a device name", nic);
            for (String rate : new String[] {ingress, egress}) {
                Checks.require(rate == null || rate.matches("\\d+(\\.\\d+)?([kMGT]?bit)"), "network limit",
                        "a rate such as 100Mbit", rate);
            }
            this.nic = nic;
            this.ingress = ingress;
            this.egress = egress;
            return this;
        }

        /**
         * The host file pushed into each container before the start (default the seed's
         * {@code /opt/gbo/conf/botserver.env}) and the container directory it goes to (default
         * {@code /opt/gbo/conf/}, created if missing); a null file pushes nothing.
         *
         * @param hostFile  the file on this host, or null
         * @param directory the directory in the container, ending with {@code /}
         * @return this
         */
        public Builder envFile(String hostFile, String directory) {
            Checks.require(directory != null && directory.startsWith("/") && directory.endsWith("/"), "directory",
                    "an absolute directory ending with /", directory);
            this.envFile = hostFile;
            this.envDir = directory;
            return this;
        }

        /**
         * The command that starts botserver in a container (default the seed's
         * {@code /opt/gbo/bin/botserver}); it runs detached, its output in {@code logFile}.
         *
         * @param command the program and its arguments
         * @return this
         */
        public Builder startCommand(List<String> command) {
            Checks.require(command != null && !command.isEmpty() && command.stream().noneMatch(Objects::isNull),
                    "startCommand", "a program and its arguments", command);
            this.startCommand = List.copyOf(command);
            return this;
        }

        /**
         * Where the start command's output goes in the container (default {@code /var/log/botserver.log}).
         *
         * @param path an absolute path
         * @return this
         */
        public Builder logFile(String path) {
            Checks.require(path != null && SAFE.matcher(path).matches() && path.startsWith("/"), "logFile",
                    "an absolute path of safe characters", path);
            this.logFile = path;
            return this;
        }

        /**
         * The botserver's HTTP port inside the containers (default 8080), the proxy device's
         * {@code connect=tcp:127.0.0.1:PORT}.
         *
         * @param port the port
         * @return this
         */
        public Builder port(int port) {
            this.port = Checks.requireRange("port", port, 1, 65535);
            return this;
        }

        /**
         * Where the proxy devices listen on the host: the address (default {@code 127.0.0.1}; the
         * proxy and the scaler reach instances there) and the range their ports are taken from
         * (default 8081..9080, the seed's 8080 + i).
         *
         * @param host      an IP address, not a wildcard
         * @param firstPort the lowest port
         * @param lastPort  the highest port
         * @return this
         */
        public Builder proxyListen(String host, int firstPort, int lastPort) {
            Checks.require(host != null && host.matches("[0-9.]+|[0-9A-Fa-f:]+") && !host.equals("0.0.0.0")
                    && !host.equals("::"), "proxy listen address",
                    "an IP address the proxy reaches (not a wildcard, which would expose every instance)", host);
            Checks.requireRange("firstPort", firstPort, 1, 65535);
            Checks.requireRange("lastPort", lastPort, firstPort, 65535);
            this.listenHost = host;
            this.firstPort = firstPort;
            this.lastPort = lastPort;
            return this;
        }

        /**
         * The health path (default {@code /api/health}): readiness after a launch, in-flight
         * requests while draining.
         *
         * @param path a path starting with {@code /}
         * @return this
         */
        public Builder healthPath(String path) {
            Checks.require(path != null && path.startsWith("/"), "healthPath", "a path starting with /", path);
            this.healthPath = path;
            return this;
        }

        /**
         * How long a launch waits for the new instance to be ready (default 120 s) and how often it
         * asks (default 200 ms).
         *
         * @param timeout      positive
         * @param pollInterval positive
         * @return this
         */
        public Builder startTimeout(Duration timeout, Duration pollInterval) {
            this.startTimeout = Checks.requirePositive("startTimeout", timeout);
            this.pollInterval = Checks.requirePositive("pollInterval", pollInterval);
            return this;
        }

        /**
         * How readiness is asked (default: {@code GET healthPath} through the proxy device).
         *
         * @param probe the probe
         * @return this
         */
        public Builder readinessProbe(ReadinessProbe probe) {
            this.probe = Objects.requireNonNull(probe, "probe");
            return this;
        }

        /**
         * The client of the instances' control endpoint, through which they are drained (default
         * {@code InstanceControlClient.of(5 s)}: {@code POST /api/instance/drain} without a token).
         * Behind proxy devices every request reaches botserver from its own loopback, Caddy's
         * included, so give the instances and this client the same {@code scale-control-token}
         * ({@code InstanceControlClient.of(InstanceSettings, HealthSettings)}).
         *
         * @param control the client
         * @return this
         */
        public Builder control(InstanceControlClient control) {
            this.control = Objects.requireNonNull(control, "control");
            return this;
        }

        /**
         * Drains with a command run in the container instead ({@code lxc exec NAME -- COMMAND}), e.g.
         * the seed's {@code /opt/gbo/bin/botserver drain}; the instance then counts as drained only
         * at the drain deadline ({@code scale-drain-seconds}), as in the seed's {@code sleep 30}.
         *
         * @param command the program and its arguments
         * @return this
         */
        public Builder drainCommand(List<String> command) {
            Checks.require(command != null && !command.isEmpty(), "drainCommand", "a program and its arguments",
                    command);
            this.drainCommand = List.copyOf(command);
            return this;
        }

        /**
         * The time source of the start timeout (default {@link Ticker#system()}) and how the wait
         * between readiness probes is spent (default {@link Sleeper#system()}).
         *
         * @param ticker  the ticker
         * @param sleeper the sleeper
         * @return this
         */
        public Builder time(Ticker ticker, Sleeper sleeper) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** Tests: whether a port is free on the host, instead of trying to bind it. */
        Builder portFree(java.util.function.BiPredicate<String, Integer> portFree) {
            this.portFree = Objects.requireNonNull(portFree, "portFree");
            return this;
        }

        /**
         * Builds the manager.
         *
         * @return the manager
         */
        public LxcInstanceManager build() {
            return new LxcInstanceManager(this);
        }
    }
}
