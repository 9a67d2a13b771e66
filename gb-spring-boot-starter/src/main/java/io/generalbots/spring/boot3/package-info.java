/** The Spring Boot 3.5 Actuator adapter (health API in {@code org.springframework.boot.actuate.health}). */
package io.generalbots.spring.boot3;
