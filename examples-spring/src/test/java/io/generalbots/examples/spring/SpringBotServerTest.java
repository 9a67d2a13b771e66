package io.generalbots.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import io.generalbots.failover.breaker.BreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;

/** The example on embedded Tomcat (random loopback port): everything comes from the one property. */
class SpringBotServerTest {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void oneDependencyAndOnePropertyGiveLimitsHealthBreakersAndMeters() throws Exception {
        try (ConfigurableApplicationContext app = SpringApplication.run(SpringBotServer.class,
                "--server.port=0", "--server.address=127.0.0.1", "--spring.main.banner-mode=off")) {
            String base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
            HttpResponse<String> first = get(base + "/api/chat?text=hi");
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.body()).isEqualTo("echo: hi");
            assertThat(first.headers().firstValue("RateLimit-Policy")).hasValue("\"global\";q=219;w=60, \"chat\";q=59;w=60");
            assertThat(first.headers().firstValue("RateLimit")).hasValue("\"chat\";r=29;t=2");
            for (int i = 2; i <= 30; i++) {
                assertThat(get(base + "/api/chat").statusCode()).isEqualTo(200);
            }
            HttpResponse<String> denied = get(base + "/api/chat");
            assertThat(denied.statusCode()).isEqualTo(429);
            assertThat(denied.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            // a chat unit comes back every 2 s: Retry-After is 2, or 1 if the thirty requests took over a second
            assertThat(denied.body().replaceFirst("\"retry-after\":[12],", "\"retry-after\":N,")).isEqualTo("{\"type\":\"https://iana.org/assignments/http-problem-types#quota-exceeded\","
                    + "\"title\":\"Too Many Requests\",\"status\":429,\"detail\":\"Too many requests for the chat limit: 30 per 60 s, in bursts of up to 30.\",\"retry-after\":N,\"policy\":\"chat\"}");

            HttpResponse<String> health = get(base + "/api/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).startsWith("{\"status\":\"healthy\",");
            assertThat(get(base + "/actuator/health").body()).isEqualTo("{\"status\":\"UP\",\"groups\":[\"liveness\",\"readiness\"]}");

            assertThat(app.getBean(BreakerRegistry.class).breaker("llm").state().toString()).isEqualTo("CLOSED");
            assertThat(app.getBean(MeterRegistry.class).get("gb.ratelimit.decisions").tag("outcome", "denied")
                    .tag("policy", "chat").tag("source", "local").counter().count()).isEqualTo(1);
        }
    }

    private HttpResponse<String> get(String uri) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
