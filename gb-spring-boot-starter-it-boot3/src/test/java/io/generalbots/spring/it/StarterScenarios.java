package io.generalbots.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.ConfigurableApplicationContext;

import io.generalbots.autoscale.serving.BotInstance;
import io.generalbots.scaling.health.HealthCheckResult;
import io.generalbots.scaling.testing.Await;
import io.generalbots.scaling.testing.RedisServer;
import io.generalbots.spring.BotResolverFailureAnalyzer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;

/**
 * What the starter must do on every web stack, on a real server: {@link StarterMvcIT} runs these on
 * embedded Tomcat, {@link StarterWebFluxIT} on Netty.
 */
abstract class StarterScenarios {

    static final String DENIED_GLOBAL = "{\"type\":\"https://iana.org/assignments/http-problem-types#quota-exceeded\","
            + "\"title\":\"Too Many Requests\",\"status\":429,\"detail\":\"Too many requests for the global limit: 2 per 60 s, in bursts of up to 2.\",\"retry-after\":30,\"policy\":\"global\"}";
    static final String DENIED_CHAT = "{\"type\":\"https://iana.org/assignments/http-problem-types#quota-exceeded\","
            + "\"title\":\"Too Many Requests\",\"status\":429,\"detail\":\"Too many requests for the chat limit: 1 per 60 s, in bursts of up to 1.\",\"retry-after\":60,\"policy\":\"chat\"}";

    /** True on WebFlux. */
    abstract boolean reactive();

    /** The server the stack must run on. */
    abstract String expectedServer();

    ConfigurableApplicationContext start(Class<?> app, String... properties) {
        return Apps.start(app, reactive(), properties);
    }

    @Test
    void oneDependencyAndOnePropertyGiveRateLimitingWith429ProblemDetails() throws Exception {
        try (ConfigurableApplicationContext app = start(TestApps.App.class, "gb.scaling.config=classpath:/limits.csv")) {
            assertThat(Apps.server(app)).isEqualTo(expectedServer());
            HttpResponse<String> first = Apps.get(app, "/api/x");
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.body()).isEqualTo("ok");
            assertThat(first.headers().firstValue("RateLimit-Policy")).hasValue("\"global\";q=3;w=60");
            assertThat(first.headers().firstValue("RateLimit")).hasValue("\"global\";r=1;t=30");
            assertThat(Apps.get(app, "/api/x").statusCode()).isEqualTo(200);
            HttpResponse<String> denied = Apps.get(app, "/api/x");
            assertThat(denied.statusCode()).isEqualTo(429);
            assertThat(denied.headers().firstValue("Retry-After")).hasValue("30");
            assertThat(denied.headers().firstValue("RateLimit")).hasValue("\"global\";r=0;t=30");
            assertThat(denied.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(denied.body()).isEqualTo(DENIED_GLOBAL);
            // the health endpoint is never limited
            assertThat(Apps.get(app, "/api/health/live").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void anEndpointLimitAppliesToItsPathDecoded() throws Exception {
        try (ConfigurableApplicationContext app = start(TestApps.App.class, "gb.scaling.config=classpath:/limits.csv")) {
            HttpResponse<String> first = Apps.get(app, "/api/chat/send");
            assertThat(first.headers().firstValue("RateLimit-Policy")).hasValue("\"global\";q=3;w=60, \"chat\";q=1;w=60");
            assertThat(first.headers().firstValue("RateLimit")).hasValue("\"chat\";r=0;t=60");
            HttpResponse<String> encoded = Apps.get(app, "/api/%63hat/send");
            assertThat(encoded.statusCode()).isEqualTo(429);
            assertThat(encoded.body()).isEqualTo(DENIED_CHAT);
        }
    }

    @Test
    void aForgedForwardedForFromAnUntrustedPeerIsIgnored() throws Exception {
        // limits.csv trusts 10.0.0.0/8 only; the test client is 127.0.0.1
        try (ConfigurableApplicationContext app = start(TestApps.App.class, "gb.scaling.config=classpath:/limits.csv")) {
            assertThat(Apps.get(app, "/api/x", "X-Forwarded-For", "1.1.1.1").statusCode()).isEqualTo(200);
            assertThat(Apps.get(app, "/api/x", "X-Forwarded-For", "2.2.2.2").statusCode()).isEqualTo(200);
            HttpResponse<String> third = Apps.get(app, "/api/x", "X-Forwarded-For", "3.3.3.3", "Forwarded", "for=4.4.4.4");
            assertThat(third.statusCode()).isEqualTo(429);
            assertThat(third.body()).isEqualTo(DENIED_GLOBAL);
        }
    }

    @Test
    void springPropertiesWorkLikeConfigCsv() throws Exception {
        try (ConfigurableApplicationContext app = start(TestApps.App.class, "gb.scaling.keys.rate-limit-requests=1",
                "gb.scaling.keys.rate-limit-burst=0", "gb.scaling.keys.rate-limit-window=10s")) {
            HttpResponse<String> first = Apps.get(app, "/api/x");
            assertThat(first.headers().firstValue("RateLimit-Policy")).hasValue("\"global\";q=1;w=10");
            assertThat(Apps.get(app, "/api/x").statusCode()).isEqualTo(429);
        }
    }

    @Test
    void rateLimitByBotKeysByTheApplicationsBotResolverNotTheIp() throws Exception {
        // every request comes from 127.0.0.1; bots a and b and the requests without a bot each have their own budget
        try (ConfigurableApplicationContext app = start(TestApps.WithBots.class, "gb.scaling.keys.rate-limit-by=bot",
                "gb.scaling.keys.rate-limit-requests=2", "gb.scaling.keys.rate-limit-burst=0")) {
            assertThat(Apps.get(app, "/api/bots/a/chat").statusCode()).isEqualTo(200);
            assertThat(Apps.get(app, "/api/bots/a/chat").statusCode()).isEqualTo(200);
            assertThat(Apps.get(app, "/api/bots/a/chat").statusCode()).isEqualTo(429);
            assertThat(Apps.get(app, "/api/bots/%61/x").statusCode()).as("the decoded path: bot a").isEqualTo(429);
            assertThat(Apps.get(app, "/api/bots/b/chat").statusCode()).isEqualTo(200);
            assertThat(Apps.get(app, "/api/x").statusCode()).as("no bot: by IP").isEqualTo(200);
            assertThat(Apps.get(app, "/api/x").statusCode()).isEqualTo(200);
            assertThat(Apps.get(app, "/api/x").statusCode()).isEqualTo(429);
            assertThat(Apps.get(app, "/api/bots/b/chat").statusCode()).isEqualTo(200);
            assertThat(Apps.get(app, "/api/bots/b/chat").statusCode()).isEqualTo(429);
        }
    }

    @Test
    void rateLimitByBotWithoutABotResolverBeanFailsStartupNamingTheKeyAndTheBean() {
        Throwable failure = catchThrowable(() -> start(TestApps.App.class, "gb.scaling.keys.rate-limit-by=bot"));
        FailureAnalysis analysis = new BotResolverFailureAnalyzer().analyze(failure);
        assertThat(analysis).as("analysed: %s", failure).isNotNull();
        assertThat(analysis.getDescription()).isEqualTo("rate-limit-by,bot needs to know each request's bot: define a"
                + " bean of type io.generalbots.spring.GbBotResolver (for example (request, path) ->"
                + " request.headers(\"X-Bot-Id\").stream().findFirst().orElse(null)); without one every request would"
                + " be limited by its IP");
        assertThat(analysis.getAction()).isEqualTo("Define a bean of type io.generalbots.spring.GbBotResolver that"
                + " returns each request's bot (null for none: that request is limited by its IP), or set rate-limit-by"
                + " to ip, user or header:NAME.");
    }

    @Test
    void aDegradedInstanceIsDegradedInActuatorNotUp() throws Exception {
        TestApps.LLM.set(HealthCheckResult.down("timeout"));
        TestApps.DATABASE.set(HealthCheckResult.up());
        try (ConfigurableApplicationContext app = start(TestApps.WithChecks.class,
                "gb.scaling.config=classpath:/limits.csv", "gb.scaling.version=6.1.0")) {
            HttpResponse<String> actuator = Await.until("llm timeout in /actuator/health", Duration.ofSeconds(10),
                    () -> get(app, "/actuator/health"), r -> r.body().contains("\"llm\":\"timeout\""));
            assertThat(actuator.statusCode()).isEqualTo(200);
            Map<String, Object> health = Apps.json(actuator.body());
            assertThat(health.get("status")).isEqualTo("DEGRADED");
            Map<?, ?> ours = (Map<?, ?>) ((Map<?, ?>) health.get("components")).get("gbScaling");
            assertThat(ours.get("status")).isEqualTo("DEGRADED");
            Map<?, ?> details = (Map<?, ?>) ours.get("details");
            assertThat(details.get("status")).isEqualTo("degraded");
            assertThat(details.get("version")).isEqualTo("6.1.0");
            assertThat(details.get("checks")).isEqualTo(Map.of("llm", "timeout", "database", "ok",
                    "circuit-breakers", "ok"));
            // the seed's endpoint says the same, with 200
            HttpResponse<String> seed = get(app, "/api/health");
            assertThat(seed.statusCode()).isEqualTo(200);
            assertThat(seed.body()).startsWith("{\"status\":\"degraded\",\"version\":\"6.1.0\",");
            assertThat(seed.body()).contains("\"checks\":{\"llm\":\"timeout\",\"database\":\"ok\",\"circuit-breakers\":\"ok\"}");
            // readiness includes us: degraded still serves
            HttpResponse<String> ready = get(app, "/actuator/health/readiness");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(Apps.json(ready.body()).get("status")).isEqualTo("DEGRADED");

            // a critical check down: DOWN and 503, readiness refuses, liveness stays up
            TestApps.DATABASE.set(HealthCheckResult.down("down"));
            HttpResponse<String> down = Await.until("/actuator/health 503", Duration.ofSeconds(10),
                    () -> get(app, "/actuator/health"), r -> r.statusCode() == 503);
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(Apps.json(down.body()).get("status")).isEqualTo("DOWN");
            assertThat(get(app, "/actuator/health/readiness").statusCode()).isEqualTo(503);
            HttpResponse<String> live = get(app, "/actuator/health/liveness");
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(Apps.json(live.body()).get("status")).isEqualTo("UP");
            assertThat(get(app, "/api/health").statusCode()).isEqualTo(503);
            assertThat(get(app, "/api/health/live").body()).isEqualTo("{\"status\":\"healthy\",\"version\":\"6.1.0\",\"uptime\":"
                    + Apps.json(get(app, "/api/health").body()).get("uptime") + "}");
        } finally {
            TestApps.LLM.set(HealthCheckResult.up());
            TestApps.DATABASE.set(HealthCheckResult.up());
        }
    }

    @Test
    void theRedisLimiterRunsOnTheApplicationsLettuceConnectionFactory() throws Exception {
        try (RedisServer redis = RedisServer.start();
             ConfigurableApplicationContext app = start(TestApps.App.class,
                     Apps.exclude(true, false),
                     "spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.port(),
                     "gb.scaling.keys.rate-limit-redis=127.0.0.1:" + redis.port(),
                     "gb.scaling.keys.rate-limit-requests=2", "gb.scaling.keys.rate-limit-burst=0")) {
            assertThat(Apps.get(app, "/api/x").statusCode()).isEqualTo(200);
            assertThat(Apps.get(app, "/api/x").statusCode()).isEqualTo(200);
            HttpResponse<String> denied = Apps.get(app, "/api/x");
            assertThat(denied.statusCode()).isEqualTo(429);
            assertThat(denied.body()).isEqualTo(DENIED_GLOBAL);
            RedisClient client = RedisClient.create("redis://127.0.0.1:" + redis.port());
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                assertThat(c.sync().keys("gbrl:*")).containsExactly("gbrl:{ip:127.0.0.1}:global");
            } finally {
                client.shutdown();
            }
            assertThat(app.getBean(io.generalbots.ratelimit.RateLimiter.class).toString()).contains("gbrl");
        }
    }

    @Test
    void aRequestThatThrowsStillReleasesItsInFlightSlot() throws Exception {
        try (ConfigurableApplicationContext app = start(TestApps.App.class, "gb.scaling.config=classpath:/limits.csv")) {
            BotInstance instance = app.getBean(BotInstance.class);
            assertThat(Apps.get(app, "/api/boom").statusCode()).isEqualTo(500);
            assertThat(Apps.get(app, "/api/x").statusCode()).isEqualTo(200);
            // WebFlux ends a request's ticket when its response has been written, a moment after the client has it
            Await.until("no request in flight", Duration.ofSeconds(5), () -> instance.inFlight() == 0);
            assertThat(instance.load().requestsPerMinute()).isEqualTo(2);
            assertThat(instance.load().errorsPerMinute()).isEqualTo(1);
        }
    }

    @Test
    void drainRefusesNewRequestsAndTakesTheInstanceOutOfReadinessNotLiveness() throws Exception {
        ConfigurableApplicationContext app = start(TestApps.App.class, "gb.scaling.config=classpath:/limits.csv");
        BotInstance instance = app.getBean(BotInstance.class);
        try {
            assertThat(get(app, "/actuator/health/readiness").statusCode()).isEqualTo(200);
            HttpResponse<String> drain = Apps.CLIENT.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    "http://127.0.0.1:" + Apps.port(app) + "/api/instance/drain"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(drain.statusCode()).isEqualTo(202);
            assertThat(drain.body()).isEqualTo("{\"state\":\"drained\",\"inflight\":0}");
            HttpResponse<String> refused = get(app, "/api/x");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).isEqualTo("{\"error\":\"draining\",\"retry_after\":" + instance.retryAfterSeconds() + "}");
            HttpResponse<String> ready = get(app, "/actuator/health/readiness");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(Apps.json(ready.body()).get("status")).isEqualTo("OUT_OF_SERVICE");
            HttpResponse<String> health = get(app, "/actuator/health");
            Map<?, ?> ours = (Map<?, ?>) ((Map<?, ?>) Apps.json(health.body()).get("components")).get("gbScaling");
            assertThat(ours.get("status")).isEqualTo("OUT_OF_SERVICE");
            assertThat(get(app, "/actuator/health/liveness").statusCode()).isEqualTo(200);
            assertThat(get(app, "/api/health").statusCode()).isEqualTo(503);
            assertThat(get(app, "/api/health").body()).startsWith("{\"status\":\"draining\"");
            assertThat(get(app, "/api/health/live").statusCode()).isEqualTo(200);
        } finally {
            app.close();
        }
    }

    @Test
    void closingTheApplicationDrainsTheInstance() {
        ConfigurableApplicationContext app = start(TestApps.App.class, "gb.scaling.config=classpath:/limits.csv");
        BotInstance instance = app.getBean(BotInstance.class);
        assertThat(instance.isDraining()).isFalse();
        app.close();
        assertThat(instance.isDraining()).isTrue();
    }

    static HttpResponse<String> get(ConfigurableApplicationContext app, String path) {
        try {
            return Apps.get(app, path);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> lines(String s) {
        return List.of(s.split("\n"));
    }
}
