/**
 * Spring Boot 3.5 and 4.0 auto-configuration of gb-scaling: one dependency and one property
 * ({@code gb.scaling.config=classpath:/config.csv}) give an application rate limiting (Spring MVC
 * filter or WebFlux {@code WebFilter}), circuit breakers, the health aggregator (the seed's
 * endpoints and an Actuator contributor with {@code DEGRADED}), shard routers, the failover
 * {@code DataSource} and meters. Version-specific Actuator adapters live in
 * {@code io.generalbots.spring.boot3} and {@code io.generalbots.spring.boot4}.
 */
package io.generalbots.spring;
