package io.generalbots.spring;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * Adds gb-scaling's Actuator defaults with the lowest precedence (any property of the application
 * overrides them), so that a degraded instance shows as {@code DEGRADED} and drain reaches the probes:
 * <ul>
 *   <li>{@code management.endpoint.health.status.order=down,out-of-service,degraded,up,unknown} —
 *       Actuator's default order has no {@code DEGRADED} and would silently leave it out of the
 *       aggregate, reporting {@code UP};</li>
 *   <li>{@code management.endpoint.health.probes.enabled=true} and
 *       {@code management.endpoint.health.group.readiness.include=readinessState,gbScaling}: the
 *       readiness group answers 503 while the instance drains or a critical check fails; liveness stays
 *       Boot's {@code livenessState}.</li>
 * </ul>
 * Nothing is added when {@code gb.scaling.enabled=false} or Actuator is absent. Registered under
 * Boot 3.5's {@code EnvironmentPostProcessor} key, which Boot 4.0 still reads.
 */
public class GbScalingEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    /** The name of the property source holding the defaults. */
    public static final String SOURCE_NAME = "gbScalingDefaults";

    /** Creates the post-processor (Spring Boot instantiates it from {@code spring.factories}). */
    public GbScalingEnvironmentPostProcessor() {
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if ("false".equalsIgnoreCase(environment.getProperty("gb.scaling.enabled"))
                || !isPresent("org.springframework.boot.actuate.endpoint.annotation.Endpoint")) {
            return;
        }
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("management.endpoint.health.status.order", GbHealthStatus.ORDER);
        defaults.put("management.endpoint.health.probes.enabled", "true");
        defaults.put("management.endpoint.health.group.readiness.include", "readinessState,gbScaling");
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, defaults));
    }

    private static boolean isPresent(String className) {
        return ClassUtils.isPresent(className, GbScalingEnvironmentPostProcessor.class.getClassLoader());
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
