package io.generalbots.autoscale.instance;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.generalbots.scaling.config.HostAndPort;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Instances as LXC containers named {@code botserver-N}, managed with the seed's commands:
 *
 * <pre>
 * lxc launch images:debian/12 botserver-N
 * lxc config set botserver-N limits.cpu 4
 * lxc config set botserver-N limits.memory 8GB
 * lxc file push /opt/gbo/conf/botserver.env botserver-N/opt/gbo/conf/
 * lxc exec botserver-N -- /opt/gbo/bin/botserver          (in the background)
 * lxc list -c ns4 --format csv                             (list: names, state, IPv4)
 * lxc exec botserver-N -- /opt/gbo/bin/botserver drain     (drain)
 * lxc stop botserver-N
 * lxc delete botserver-N
 * </pre>
 *
 * <p>Where the seed is silent or wrong: N is one more than the highest number in use (the seed's
 * "count + 1" reuses a name when there is a gap); a launch that fails at any step removes the
 * container again with {@code lxc delete --force botserver-N}, so nothing half-made is left; the
 * instance's address is its first IPv4 address with port 8080. {@code botserver drain} does not
 * exist in botserver today (it must turn its health to {@code draining}); as in the seed, the
 * container is stopped when the drain deadline ({@code scale-drain-seconds}, the seed's
 * {@code sleep 30}) has passed, so {@link #isDrained} is always false.
 */
public final class LxcInstanceManager implements InstanceManager {

    private static final Logger LOG = LoggerFactory.getLogger(LxcInstanceManager.class);
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3}){3}) \\(([^)]+)\\)");

    private final CommandRunner runner;
    private final String prefix;
    private final String image;
    private final String limitsCpu;
    private final String limitsMemory;
    private final String envFile;
    private final String envDir;
    private final String binary;
    private final int port;

    private LxcInstanceManager(Builder b) {
        this.runner = b.runner;
        this.prefix = b.prefix;
        this.image = b.image;
        this.limitsCpu = b.limitsCpu;
        this.limitsMemory = b.limitsMemory;
        this.envFile = b.envFile;
        this.envDir = b.envDir;
        this.binary = b.binary;
        this.port = b.port;
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

    @Override
    public List<Instance> list() {
        CommandRunner.Result r = check(runner.run(List.of("lxc", "list", "-c", "ns4", "--format", "csv")), "list");
        List<Instance> out = new ArrayList<>();
        for (Listed c : parseCsv(r.stdout())) {
            int n = number(c.name());
            if (n > 0 && c.state().equalsIgnoreCase("RUNNING") && !c.ipv4().isEmpty()) {
                out.add(new Instance(c.name(), new HostAndPort(c.ipv4().get(0), port), n));
            }
        }
        return out;
    }

    @Override
    public Instance launch() {
        CommandRunner.Result r = check(runner.run(List.of("lxc", "list", "-c", "n", "--format", "csv")), "list");
        int next = 1;
        for (Listed c : parseCsv(r.stdout())) {
            next = Math.max(next, number(c.name()) + 1);
        }
        String name = prefix + next;
        LOG.info("lxc: launching {}", name);
        boolean created = false;
        try {
            check(runner.run(List.of("lxc", "launch", image, name)), "launch " + name);
            created = true;
            check(runner.run(List.of("lxc", "config", "set", name, "limits.cpu", limitsCpu)), "limits.cpu " + name);
            check(runner.run(List.of("lxc", "config", "set", name, "limits.memory", limitsMemory)),
                    "limits.memory " + name);
            check(runner.run(List.of("lxc", "file", "push", envFile, name + envDir)), "file push " + name);
            runner.spawn(List.of("lxc", "exec", name, "--", binary));
            CommandRunner.Result ip = check(runner.run(List.of("lxc", "list", name, "-c", "4", "--format", "csv")),
                    "address of " + name);
            List<String> addresses = parseIpv4(ip.stdout().strip());
            if (addresses.isEmpty()) {
                throw new InstanceException("lxc: " + name + " has no IPv4 address (lxc list " + name
                        + " -c 4 printed \"" + ip.stdout().strip() + "\")");
            }
            return new Instance(name, new HostAndPort(addresses.get(0), port), next);
        } catch (InstanceException e) {
            if (created) {
                try {
                    runner.run(List.of("lxc", "delete", "--force", name));
                } catch (InstanceException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw e;
        }
    }

    @Override
    public void drain(Instance instance) {
        check(runner.run(List.of("lxc", "exec", instance.id(), "--", binary, "drain")), "drain " + instance.id());
    }

    @Override
    public boolean isDrained(Instance instance) {
        return false;
    }

    @Override
    public void destroy(Instance instance) {
        check(runner.run(List.of("lxc", "stop", instance.id())), "stop " + instance.id());
        check(runner.run(List.of("lxc", "delete", instance.id())), "delete " + instance.id());
    }

    private int number(String name) {
        if (!name.startsWith(prefix)) {
            return 0;
        }
        try {
            return Integer.parseInt(name.substring(prefix.length()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static CommandRunner.Result check(CommandRunner.Result r, String what) {
        if (r.exitCode() != 0) {
            throw new InstanceException("lxc " + what + " failed with exit code " + r.exitCode() + ": "
                    + r.stderr().strip());
        }
        return r;
    }

    /**
     * A row of {@code lxc list -c ns4 --format csv}.
     *
     * @param name  the container's name
     * @param state e.g. {@code RUNNING}, or empty if the column was not asked for
     * @param ipv4  its IPv4 addresses, in order
     */
    public record Listed(String name, String state, List<String> ipv4) {
    }

    /**
     * Parses the CSV of {@code lxc list -c n --format csv} or {@code -c ns4}: a field with several
     * addresses is quoted and holds one {@code ADDRESS (INTERFACE)} per line.
     *
     * @param csv the output
     * @return the rows
     * @throws InstanceException if it is not such CSV
     */
    public static List<Listed> parseCsv(String csv) {
        List<Listed> out = new ArrayList<>();
        try {
            for (CSVRecord rec : CSVFormat.DEFAULT.parse(new StringReader(csv))) {
                if (rec.size() == 0 || rec.get(0).isBlank()) {
                    continue;
                }
                String state = rec.size() > 1 ? rec.get(1).strip() : "";
                List<String> ips = rec.size() > 2 ? parseIpv4(rec.get(2)) : List.of();
                out.add(new Listed(rec.get(0).strip(), state, ips));
            }
        } catch (IOException | IllegalStateException | java.io.UncheckedIOException e) {
            throw new InstanceException("lxc list printed CSV that cannot be read: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * The IPv4 addresses of an {@code -c 4} field ({@code 10.0.3.5 (eth0)}, one per line), in order.
     *
     * @param field the field
     * @return the addresses
     */
    public static List<String> parseIpv4(String field) {
        List<String> out = new ArrayList<>();
        Matcher m = IPV4.matcher(field);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** Builds an {@link LxcInstanceManager}; every value defaults to the seed's. */
    public static final class Builder {
        private final CommandRunner runner;
        private String prefix = "botserver-";
        private String image = "images:debian/12";
        private String limitsCpu = "4";
        private String limitsMemory = "8GB";
        private String envFile = "/opt/gbo/conf/botserver.env";
        private String envDir = "/opt/gbo/conf/";
        private String binary = "/opt/gbo/bin/botserver";
        private int port = 8080;

        private Builder(CommandRunner runner) {
            this.runner = Objects.requireNonNull(runner, "runner");
        }

        /**
         * The container image (default {@code images:debian/12}).
         *
         * @param image the image
         * @return this
         */
        public Builder image(String image) {
            this.image = Objects.requireNonNull(image, "image");
            return this;
        }

        /**
         * {@code limits.cpu} of new containers (default {@code 4}).
         *
         * @param cpus the number of cores
         * @return this
         */
        public Builder limitsCpu(int cpus) {
            io.generalbots.scaling.Checks.requireRange("limits.cpu", cpus, 1, 1024);
            this.limitsCpu = Integer.toString(cpus);
            return this;
        }

        /**
         * {@code limits.memory} of new containers (default {@code 8GB}).
         *
         * @param memory e.g. {@code 8GB}
         * @return this
         */
        public Builder limitsMemory(String memory) {
            io.generalbots.scaling.Checks.require(memory != null && memory.matches("\\d+(\\.\\d+)?([kMGTPE]i?B)?"),
                    "limits.memory", "a size such as 8GB or 512MiB", memory);
            this.limitsMemory = memory;
            return this;
        }

        /**
         * The botserver's HTTP port inside the containers (default 8080).
         *
         * @param port the port
         * @return this
         */
        public Builder port(int port) {
            this.port = io.generalbots.scaling.Checks.requireRange("port", port, 1, 65535);
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
