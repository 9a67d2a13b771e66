package io.generalbots.spring.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;

/**
 * Starts test applications on a real embedded server (random loopback port) with nothing but
 * properties, the same way on Spring Boot 3.5 and 4.0: no API that moved between them.
 */
final class Apps {

    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Apps() {
    }

    static ConfigurableApplicationContext start(Class<?> app, boolean reactive, String... properties) {
        List<String> all = new ArrayList<>(List.of("server.port=0", "server.address=127.0.0.1",
                "spring.main.banner-mode=off", "spring.main.web-application-type=" + (reactive ? "reactive" : "servlet"),
                "management.endpoints.web.exposure.include=health",
                "management.endpoint.health.show-details=always", "management.endpoint.health.show-components=always"));
        all.addAll(List.of(properties));
        if (all.stream().noneMatch(p -> p.startsWith("spring.autoconfigure.exclude="))) {
            all.add(exclude(true, true));
        }
        return new SpringApplicationBuilder(app).properties(all.toArray(String[]::new)).run();
    }

    /**
     * Excludes Boot's DataSource and/or Redis auto-configurations (by their Boot 3.5 or 4.0 names), for
     * tests that do not use those servers.
     */
    static String exclude(boolean database, boolean redis) {
        List<String> candidates = new ArrayList<>();
        if (database) {
            candidates.addAll(List.of("org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
                    "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"));
        }
        if (redis) {
            candidates.addAll(List.of("org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration",
                    "org.springframework.boot.autoconfigure.data.redis.RedisReactiveAutoConfiguration",
                    "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
                    "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration"));
        }
        List<String> present = new ArrayList<>();
        for (String c : candidates) {
            if (ClassUtils.isPresent(c, Apps.class.getClassLoader())) {
                present.add(c);
            }
        }
        return "spring.autoconfigure.exclude=" + String.join(",", present);
    }

    static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    /** TomcatWebServer, NettyWebServer, ... (the web server's class, found without Boot's moved types). */
    static String server(ConfigurableApplicationContext context) throws Exception {
        Object server = context.getClass().getMethod("getWebServer").invoke(context);
        return server.getClass().getSimpleName();
    }

    static HttpResponse<String> get(ConfigurableApplicationContext context, String path, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(context) + path))
                .timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(String text) throws IOException {
        return JSON.readValue(text, Map.class);
    }
}
