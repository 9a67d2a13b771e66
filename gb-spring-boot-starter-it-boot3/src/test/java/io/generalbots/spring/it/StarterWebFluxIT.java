package io.generalbots.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** The starter on WebFlux with Netty (Tomcat is off this run's class path). */
class StarterWebFluxIT extends StarterScenarios {

    @Override
    boolean reactive() {
        return true;
    }

    @Override
    String expectedServer() {
        return "NettyWebServer";
    }

    @Test
    void rateLimitByUserKeysByTheAuthenticatedPrincipalNotTheIp() throws Exception {
        // every request comes from 127.0.0.1; alice, bob and the anonymous ones each have their own budget
        try (ConfigurableApplicationContext app = start(TestApps.WithUsers.class, "gb.scaling.keys.rate-limit-by=user",
                "gb.scaling.keys.rate-limit-requests=2", "gb.scaling.keys.rate-limit-burst=0")) {
            assertThat(Apps.get(app, "/api/x", "X-User", "alice").statusCode()).isEqualTo(200);
            assertThat(Apps.get(app, "/api/x", "X-User", "alice").statusCode()).isEqualTo(200);
            assertThat(Apps.get(app, "/api/x", "X-User", "alice").statusCode()).isEqualTo(429);
            assertThat(Apps.get(app, "/api/x", "X-User", "bob").statusCode()).isEqualTo(200);
            assertThat(Apps.get(app, "/api/x").statusCode()).as("anonymous: by IP").isEqualTo(200);
            assertThat(Apps.get(app, "/api/x").statusCode()).isEqualTo(200);
            assertThat(Apps.get(app, "/api/x").statusCode()).isEqualTo(429);
            assertThat(Apps.get(app, "/api/x", "X-User", "bob").statusCode()).isEqualTo(200);
        }
    }
}
