package io.generalbots.spring;

import java.util.ArrayList;
import java.util.List;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.health.HealthSettings;

/** Paths the rate-limit filters leave alone; free of servlet and reactive types, so both stacks can load it. */
final class WebPaths {

    private WebPaths() {
    }

    static List<String> excluded(BotConfig config, GbScalingProperties properties) {
        List<String> excluded = new ArrayList<>(properties.getWeb().getRateLimitExclude());
        excluded.add(HealthSettings.from(config).endpoint());
        return excluded;
    }

    /** Paths neither metered nor refused by the drain: the health endpoint, the control endpoint, Actuator. */
    static List<String> notMetered(BotConfig config, String controlPath) {
        return List.of(HealthSettings.from(config).endpoint(), controlPath, "/actuator");
    }
}
