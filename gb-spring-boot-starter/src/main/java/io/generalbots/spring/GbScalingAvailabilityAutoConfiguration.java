package io.generalbots.spring;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.ContextClosedEvent;

import io.generalbots.autoscale.serving.BotInstance;
import io.generalbots.autoscale.serving.InstanceEvent;

/**
 * Wires the instance's drain to Spring Boot's availability state, both ways:
 * <ul>
 *   <li>the instance starts draining (the scaler's {@code POST /api/instance/drain}) → Boot's readiness
 *       becomes {@code REFUSING_TRAFFIC}, so the readiness group (and Kubernetes) takes it out;</li>
 *   <li>readiness set to {@code REFUSING_TRAFFIC} by the application, or the context closing
 *       (shutdown, before Boot's graceful web-server shutdown waits for requests in flight) → the
 *       instance drains: new requests get 503, those in flight finish.</li>
 * </ul>
 * Liveness is never touched: a draining instance is alive.
 */
@AutoConfiguration(after = GbScalingAutoConfiguration.class)
@ConditionalOnBean(BotInstance.class)
public class GbScalingAvailabilityAutoConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(GbScalingAvailabilityAutoConfiguration.class);

    /** Creates the configuration. */
    public GbScalingAvailabilityAutoConfiguration() {
    }

    /**
     * The listener that keeps the instance and Boot's readiness in step.
     *
     * @param instance the instance
     * @param context  the application context (publishes readiness)
     * @return the listener
     */
    @Bean
    public ApplicationListener<ApplicationEvent> gbScalingDrainListener(BotInstance instance, ApplicationContext context) {
        instance.addListener(event -> {
            if (event instanceof InstanceEvent.DrainStarted) {
                AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
            }
        });
        return event -> {
            if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == context) {
                if (instance.drain()) {
                    LOG.info("instance {} drains: the application context is closing", instance.name());
                }
            } else if (event instanceof AvailabilityChangeEvent<?> change
                    && change.getState() == ReadinessState.REFUSING_TRAFFIC && instance.drain()) {
                LOG.info("instance {} drains: readiness is REFUSING_TRAFFIC", instance.name());
            }
        };
    }
}
