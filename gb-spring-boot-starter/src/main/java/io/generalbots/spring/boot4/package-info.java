/**
 * The Spring Boot 4.0 Actuator adapter: Boot 4 moved the health API to
 * {@code org.springframework.boot.health.contributor} (module spring-boot-health).
 */
package io.generalbots.spring.boot4;
