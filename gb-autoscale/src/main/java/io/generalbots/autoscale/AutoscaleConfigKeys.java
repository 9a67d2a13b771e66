package io.generalbots.autoscale;

import java.util.Collection;
import java.util.List;

import io.generalbots.scaling.config.ConfigKey;
import io.generalbots.scaling.config.ConfigKeyProvider;
import io.generalbots.scaling.config.ConfigReader;
import io.generalbots.autoscale.serving.InstanceSettings;

/**
 * The {@code config.csv} keys gb-autoscale owns: {@code scale-*} (the engine, its rules, leader
 * election) and the seed's {@code metrics-*} switches of the scaling meters, with the seed
 * chapter's defaults. Found by {@link java.util.ServiceLoader}.
 */
public final class AutoscaleConfigKeys implements ConfigKeyProvider {

    /** Creates the provider (ServiceLoader needs a public constructor). */
    public AutoscaleConfigKeys() {
    }

    @Override
    public Collection<ConfigKey> keys() {
        return List.of(
                ConfigKey.of("scale-enabled", "boolean", "false", "Enable auto-scaling"),
                ConfigKey.of("scale-min-instances", "integer 1..1000", "1", "Minimum container count"),
                ConfigKey.of("scale-max-instances", "integer 1..1000", "10", "Maximum container count"),
                ConfigKey.of("scale-cpu-threshold", "number 1..100", "70", "CPU % to trigger scale-up"),
                ConfigKey.of("scale-memory-threshold", "number 1..100", "80", "Memory % to trigger scale-up"),
                ConfigKey.of("scale-request-threshold", "integer 1..", "1000",
                        "Requests/min per instance to trigger scale-up"),
                ConfigKey.of("scale-cooldown-seconds", "duration", "300", "Wait time between scaling events"),
                ConfigKey.of("scale-check-interval", "duration", "30", "Seconds between metric checks"),
                ConfigKey.of("scale-down-stabilization-seconds", "duration", "300",
                        "A scale-down goes only to the highest recommendation of this window"),
                ConfigKey.of("scale-drain-seconds", "duration", "30",
                        "Seconds a removed instance may finish requests in flight before it is destroyed"),
                ConfigKey.optional("scale-control-token", "16..512 characters of A-Z a-z 0-9 -._~+/=, or env:VARIABLE",
                        "Shared token the scaler sends to instances' control endpoint (POST /api/instance/drain); "
                                + "without it only direct loopback callers may drain an instance"),
                ConfigKey.of("scale-instance-manager", "lxc|NAME", "lxc",
                        "Who launches and removes instances: lxc (the seed's commands) or an InstanceManagerProvider "
                                + "on the class path"),
                ConfigKey.optional("scale-leader-election", "postgres|redis|single|none",
                        "Where the instances elect the one that runs the scaling loop (default: from "
                                + "scale-leader-url's scheme, else none; with none an enabled scaler refuses to start)"),
                ConfigKey.optional("scale-leader-url", "jdbc:postgresql://... or redis://...",
                        "The store of the leader election (required for postgres and redis)"),
                ConfigKey.of("scale-leader-key", "name", "gb-scaling-leader",
                        "Name of the lock (hashed to the advisory lock id) or of the Redis lease key"),
                ConfigKey.optional("scale-leader-lease-seconds", "duration",
                        "Redis lease time (default twice scale-check-interval, at least 15 s); renewed every check, "
                                + "another instance takes over after it"),
                ConfigKey.optional("scale-rule-response-time", "integer milliseconds",
                        "Average response time (ms) above which the response rule fires"),
                ConfigKey.optional("scale-rule-response-action", "up|down",
                        "What the response-time rule does (default up)"),
                ConfigKey.optional("scale-rule-response-time-action", "up|down",
                        "Regular spelling of scale-rule-response-action"),
                ConfigKey.optional("scale-rule-cpu-low", "number 1..100",
                        "Average CPU % below which the cpu-low rule fires"),
                ConfigKey.optional("scale-rule-cpu-low-action", "up|down",
                        "What the cpu-low rule does (default down)"),
                ConfigKey.optional("scale-rule-queue-depth", "integer 1..",
                        "Queue depth per instance above which the queue rule fires"),
                ConfigKey.optional("scale-rule-queue-action", "up|down",
                        "What the queue-depth rule does (default up)"),
                ConfigKey.optional("scale-rule-queue-depth-action", "up|down",
                        "Regular spelling of scale-rule-queue-action"),
                ConfigKey.of("metrics-scaling-enabled", "boolean", "true",
                        "Publish the scaling meters (needs a Micrometer registry)"),
                ConfigKey.of("metrics-container-count", "boolean", "true", "Gauge of running instances"),
                ConfigKey.of("metrics-scaling-events", "boolean", "true", "Counters of scale-up/down events and errors"),
                ConfigKey.of("metrics-load-distribution", "boolean", "true",
                        "Per-instance load gauges (CPU, requests/min)"));
    }

    @Override
    public void validate(ConfigReader reader) {
        ScalingSettings.read(reader);
        LeaderSettings.read(reader);
        MetricsSettings.read(reader);
        InstanceSettings.read(reader, System::getenv);
    }
}
