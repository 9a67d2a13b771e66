package io.generalbots.benchmarks.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The endpoint every build serves: {@code GET /api/hello} answers {@code hello}. It names neither
 * gb-scaling nor Bucket4j; what a build adds comes from its class path and properties alone.
 */
@SpringBootApplication
@RestController
public class BenchApp {

    /**
     * The endpoint.
     *
     * @return a constant text
     */
    @GetMapping("/api/hello")
    public String hello() {
        return "hello";
    }

    /**
     * Starts the application.
     *
     * @param args Spring Boot arguments
     */
    public static void main(String[] args) {
        SpringApplication.run(BenchApp.class, args);
    }
}
