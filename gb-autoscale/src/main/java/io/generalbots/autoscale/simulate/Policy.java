package io.generalbots.autoscale.simulate;

import java.util.Locale;

/** The scaling policies the simulator compares. */
public enum Policy {
    /** This library's {@link io.generalbots.autoscale.AutoScaler}, as configured. */
    GB("gb"),
    /**
     * The seed's bash loop, exactly: every 30 s the average CPU of all {@code botserver-*}
     * containers (those still booting count with 0 %); when more than the cooldown has passed
     * since the last scaling (whole seconds, {@code diff > SCALE_COOLDOWN}): above the CPU
     * threshold +1 container, below 30 % −1 container (the newest), which keeps serving through
     * the script's {@code sleep 30} drain (the proxy is updated only after {@code lxc delete}) and
     * delays the loop by those 30 s. MIN, MAX, CPU_THRESHOLD and SCALE_COOLDOWN are taken from the
     * config's {@code scale-*} keys (the script's Configuration block); the model gives it true CPU
     * rather than {@code /proc/loadavg}.
     */
    SEED_SCRIPT("seed-script"),
    /**
     * Kubernetes' HorizontalPodAutoscaler with its defaults and a CPU target of
     * {@code scale-cpu-threshold}: a sync every 15 s; desired = ceil(ready × cpu / target), no
     * change within a 0.1 tolerance; on scale-up, not-ready pods count as 0 % CPU; scale-down takes
     * the highest recommendation of the last 300 s; up at most max(100 %, 4 pods) and down at most
     * 100 % per 15 s; removed pods (not ready first, then newest) stop at once.
     */
    HPA("hpa"),
    /**
     * The floor, with perfect foresight of the whole trace under the same capacity model, boot
     * time and min/max: each minute gets the fewest ready instances that keep it out of violation
     * (the maximum when none can), each launched exactly one boot time before the minute that needs
     * it, kept through a gap no longer than the boot time, destroyed the second it is no longer
     * needed. No other schedule has fewer violation minutes, and none that keeps those instances
     * ready through every minute costs fewer instance-minutes (see {@code Oracle}).
     */
    ORACLE("oracle");

    private final String id;

    Policy(String id) {
        this.id = id;
    }

    /**
     * The name on the command line.
     *
     * @return e.g. {@code seed-script}
     */
    public String id() {
        return id;
    }

    /**
     * The policy of a name.
     *
     * @param name {@code gb}, {@code seed-script}, {@code hpa} or {@code oracle}
     * @return the policy
     * @throws IllegalArgumentException for any other name
     */
    public static Policy of(String name) {
        for (Policy p : values()) {
            if (p.id.equals(name.toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("--policy must be gb, seed-script, hpa or oracle, but was " + name);
    }
}
