package io.generalbots.autoscale.instance;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.generalbots.scaling.Ticker;
import io.generalbots.autoscale.InstanceMetrics;
import io.generalbots.autoscale.MetricsSource;

/**
 * CPU and memory of LXC containers from {@code lxc list --format json}. CPU % is what the seed's
 * {@code /proc/loadavg × 100} is not: the growth of LXD's {@code state.cpu.usage} counter
 * (CPU-nanoseconds) between two checks, divided by the time between them and by
 * {@code limits.cpu}. The first check of a container has no CPU (missing metrics never scale
 * down). Memory % is {@code state.memory.usage} over {@code limits.memory} (decimal {@code GB} or
 * binary {@code GiB}), missing without a limit. A container is ready when it is
 * {@code Running}; botserver's own readiness comes from its health endpoint.
 */
public final class LxcMetricsSource implements MetricsSource {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Sample(long usage, long at) {
    }

    private final CommandRunner runner;
    private final Ticker ticker;
    /** Held over {@code lxc list}: a lock, not the monitor, since it runs a process. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Sample> previous = new HashMap<>();

    /**
     * Creates a source.
     *
     * @param runner runs {@code lxc list --format json}
     * @param ticker the time between samples
     */
    public LxcMetricsSource(CommandRunner runner, Ticker ticker) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
    }

    @Override
    public Map<String, InstanceMetrics> collect(List<Instance> instances) {
        lock.lock();
        try {
            CommandRunner.Result r = runner.run(List.of("lxc", "list", "--format", "json"));
            if (r.exitCode() != 0) {
                throw new InstanceException("lxc list --format json failed with exit code " + r.exitCode() + ": "
                        + r.stderr().strip());
            }
            long now = ticker.read();
            Map<String, JsonNode> byName = new HashMap<>();
            try {
                for (JsonNode c : JSON.readTree(r.stdout())) {
                    byName.put(c.path("name").asText(), c);
                }
            } catch (Exception e) {
                throw new InstanceException("lxc list --format json printed JSON that cannot be read: " + e.getMessage(), e);
            }
            Map<String, InstanceMetrics> out = new HashMap<>();
            for (Instance i : instances) {
                JsonNode c = byName.get(i.id());
                if (c == null) {
                    continue;
                }
                JsonNode state = c.path("state");
                boolean running = "Running".equalsIgnoreCase(state.path("status").asText(c.path("status").asText()));
                double cpu = Double.NaN;
                if (state.path("cpu").path("usage").isNumber()) {
                    long usage = state.path("cpu").path("usage").asLong();
                    Sample prev = previous.put(i.id(), new Sample(usage, now));
                    double cores = cores(c.path("expanded_config").path("limits.cpu").asText(""));
                    if (prev != null && now > prev.at() && usage >= prev.usage() && cores > 0) {
                        cpu = cpuPercent(usage - prev.usage(), now - prev.at(), cores);
                    }
                }
                double memory = Double.NaN;
                long limit = bytes(c.path("expanded_config").path("limits.memory").asText(""));
                if (limit > 0 && state.path("memory").path("usage").isNumber()) {
                    memory = Math.min(100, 100.0 * state.path("memory").path("usage").asLong() / limit);
                }
                out.put(i.id(), new InstanceMetrics(running, cpu, memory, Double.NaN, Double.NaN, Double.NaN));
            }
            previous.keySet().retainAll(byName.keySet());
            return out;
        } finally {
            lock.unlock();
        }
    }

    /**
     * CPU % from an {@code cpu.usage} delta.
     *
     * @param usageDeltaNanos CPU-nanoseconds used in the interval
     * @param intervalNanos   the interval
     * @param cores           {@code limits.cpu}
     * @return the CPU %, 0..100
     */
    public static double cpuPercent(long usageDeltaNanos, long intervalNanos, double cores) {
        return Math.min(100, 100.0 * usageDeltaNanos / intervalNanos / cores);
    }

    /**
     * Cores of a {@code limits.cpu} value: a count ({@code 4}) or a set/range ({@code 0-3},
     * {@code 1,3}); 0 if absent or unreadable.
     *
     * @param value the value
     * @return the cores
     */
    static double cores(String value) {
        String v = value.strip();
        if (v.isEmpty()) {
            return 0;
        }
        try {
            if (v.matches("\\d+")) {
                return Integer.parseInt(v);
            }
            int n = 0;
            for (String part : v.split(",")) {
                String[] range = part.strip().split("-");
                n += range.length == 2 ? Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1 : 1;
            }
            return n;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Bytes of a {@code limits.memory} value such as {@code 8GB}, {@code 512MiB}; 0 if absent,
     * a percentage or unreadable.
     *
     * @param value the value
     * @return the bytes
     */
    static long bytes(String value) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)([kKMGTPE]?)(i?)B?")
                .matcher(value.strip());
        if (!m.matches()) {
            return 0;
        }
        double n = Double.parseDouble(m.group(1));
        int exp = "KMGTPE".indexOf(m.group(2).toUpperCase(Locale.ROOT)) + 1;
        double base = m.group(3).isEmpty() ? 1000 : 1024;
        return (long) (n * Math.pow(base, exp));
    }
}
