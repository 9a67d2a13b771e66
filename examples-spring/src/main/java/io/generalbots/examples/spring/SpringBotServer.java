package io.generalbots.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot botserver with gb-scaling: the only gb-specific things are the dependency
 * {@code gb-spring-boot-starter} and the property {@code gb.scaling.config=classpath:/config.csv}
 * (application.properties). From them it gets rate limiting with the IETF headers and 429 problem
 * details, circuit breakers, the seed's {@code /api/health} (plus {@code /ready}, {@code /live}) and
 * an Actuator contributor that shows {@code DEGRADED}, and meters. No other code.
 */
@SpringBootApplication
@RestController
public class SpringBotServer {

    /**
     * The bot's chat endpoint (limited by {@code rate-limit-api-chat} on top of the global limit).
     *
     * @param text what the user said
     * @return the answer
     */
    @GetMapping("/api/chat")
    public String chat(@RequestParam(defaultValue = "hello") String text) {
        return "echo: " + text;
    }

    /**
     * Starts the server.
     *
     * @param args Spring Boot arguments, e.g. {@code --server.port=8080}
     */
    public static void main(String[] args) {
        SpringApplication.run(SpringBotServer.class, args);
    }
}
