package io.generalbots.failover.health;

import java.lang.management.ManagementFactory;

/**
 * The {@code cpu} and {@code memory} figures of the health report: percent of the container's or
 * host's CPU and memory in use.
 */
public interface HostMetrics {

    /**
     * CPU in use, percent 0..100, or 0 when the platform does not tell.
     *
     * @return the percentage
     */
    double cpuPercent();

    /**
     * Memory in use, percent 0..100, or 0 when the platform does not tell.
     *
     * @return the percentage
     */
    double memoryPercent();

    /**
     * The JVM's view of the machine, which is container-aware on Java 17 (cgroup limits):
     * {@code OperatingSystemMXBean.getCpuLoad()} (recent CPU use of the whole container or host,
     * not only this process) and total minus free memory over total memory.
     *
     * @return the metrics
     */
    static HostMetrics system() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (!(os instanceof com.sun.management.OperatingSystemMXBean sun)) {
            return new HostMetrics() {
                @Override
                public double cpuPercent() {
                    return 0;
                }

                @Override
                public double memoryPercent() {
                    return 0;
                }
            };
        }
        return new HostMetrics() {
            @Override
            public double cpuPercent() {
                double load = sun.getCpuLoad();
                return load < 0 ? 0 : Math.min(100, load * 100);
            }

            @Override
            public double memoryPercent() {
                long total = sun.getTotalMemorySize();
                long free = sun.getFreeMemorySize();
                return total <= 0 ? 0 : Math.max(0, Math.min(100, 100.0 * (total - free) / total));
            }
        };
    }
}
