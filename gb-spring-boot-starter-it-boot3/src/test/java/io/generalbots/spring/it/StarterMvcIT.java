package io.generalbots.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Set;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.ConfigurableApplicationContext;

import io.generalbots.autoscale.serving.BotInstance;
import io.generalbots.failover.breaker.BreakerRegistry;
import io.generalbots.failover.postgres.FailoverDataSource;
import io.generalbots.ratelimit.LocalRateLimiter;
import io.generalbots.ratelimit.RateLimiter;
import io.generalbots.ratelimit.RedisRateLimiter;
import io.generalbots.scaling.config.ConfigException;
import io.generalbots.scaling.testing.Await;
import io.generalbots.scaling.testing.RedisServer;
import io.generalbots.scaling.testing.TestPostgres;
import io.generalbots.sharding.ShardRouter;
import io.generalbots.sharding.ShardedDataSource;
import io.generalbots.spring.ConfigFailureAnalyzer;

/** The starter on Spring MVC with embedded Tomcat, and what only concerns startup (the same on every stack). */
class StarterMvcIT extends StarterScenarios {

    @Override
    boolean reactive() {
        return false;
    }

    @Override
    String expectedServer() {
        return "TomcatWebServer";
    }

    @Test
    void aBadConfigCsvFailsStartupWithEveryProblemAtItsFileAndLine() throws Exception {
        Throwable failure = catchThrowable(() -> start(TestApps.App.class, "gb.scaling.config=classpath:/bad.csv"));
        ConfigException config = cause(failure);
        String file = Path.of("target/test-classes/bad.csv").toAbsolutePath().toString();
        assertThat(config.getMessage()).isEqualTo(file + ":2: rate-limit-requests must be an integer from 1 to 100000,"
                + " but was \"abc\"\n" + file + ":3: circuit-breaker-threshold must be an integer from 1 to 1000, but was \"0\"");
        FailureAnalysis analysis = new ConfigFailureAnalyzer().analyze(failure);
        assertThat(analysis.getDescription()).isEqualTo("The bot's gb-scaling configuration is invalid:\n\n"
                + config.getMessage());
        assertThat(analysis.getAction()).isEqualTo("Correct the settings above in the bot's config.csv"
                + " (gb.scaling.config) or in the gb.scaling.keys.* properties; an unset key takes its default.");
    }

    @Test
    void aBadSpringPropertyFailsStartupAtItsPropertiesFileLine() {
        Throwable failure = catchThrowable(() -> start(TestApps.App.class, "spring.profiles.active=badkeys"));
        assertThat(cause(failure).getMessage()).isEqualTo("application-badkeys.properties:3: rate-limit-requests must be"
                + " an integer from 1 to 100000, but was \"abc\"");
    }

    @Test
    void aBadInlinePropertyIsNamedByItsPropertyName() {
        Throwable failure = catchThrowable(() -> start(TestApps.App.class, "gb.scaling.keys.rate-limit-burst=-1"));
        assertThat(new ConfigFailureAnalyzer().analyze(failure).getDescription()).isEqualTo(
                "The bot's gb-scaling configuration is invalid:\n\ngb.scaling.keys.rate-limit-burst: rate-limit-burst must be"
                        + " an integer from 0 to 100000, but was \"-1\"");
    }

    @Test
    void aMissingConfigCsvFailsStartupNamingIt() {
        Throwable failure = catchThrowable(() -> start(TestApps.App.class, "gb.scaling.config=classpath:/nope.csv"));
        assertThat(cause(failure).getMessage()).isEqualTo("classpath:/nope.csv:0: classpath:/nope.csv does not exist");
    }

    @Test
    void everyBeanBacksOffWhenTheApplicationDefinesItsOwn() throws Exception {
        try (ConfigurableApplicationContext app = start(TestApps.OwnBeans.class, "gb.scaling.config=classpath:/limits.csv")) {
            assertThat(app.getBean(RateLimiter.class)).isSameAs(TestApps.OwnBeans.LIMITER);
            assertThat(app.getBean(BreakerRegistry.class)).isSameAs(TestApps.OwnBeans.BREAKERS);
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> r = Apps.get(app, "/api/x");
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("RateLimit")).isEmpty(); // the application's limiter: disabled
            }
        }
    }

    @Test
    void theApplicationsDataSourceIsTheCriticalDatabaseCheck() throws Exception {
        try (ConfigurableApplicationContext app = start(TestApps.App.class, Apps.exclude(false, true),
                "spring.datasource.url=" + TestPostgres.url("postgres"),
                "spring.datasource.username=" + TestPostgres.user(),
                "spring.datasource.password=" + TestPostgres.password())) {
            HttpResponse<String> health = Await.until("database ok in /api/health", java.time.Duration.ofSeconds(15),
                    () -> get(app, "/api/health"), r -> r.body().contains("\"database\":\"ok\""));
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"checks\":{\"database\":\"ok\",\"circuit-breakers\":\"ok\"}");
            assertThat(app.getBean(DataSource.class).getClass().getSimpleName()).isEqualTo("HikariDataSource");
        }
    }

    @Test
    void shardPrimaryHostsMakeTheDataSourceAFailoverDataSourceAndShardKeysARouter() throws Exception {
        try (ConfigurableApplicationContext app = start(TestApps.App.class, Apps.exclude(false, true),
                "gb.scaling.keys.shard-primary-hosts=" + TestPostgres.host() + ":" + TestPostgres.port(),
                "gb.scaling.keys.shard-primary-discovery=none",
                "gb.scaling.keys.shard-strategy=hash", "gb.scaling.keys.shard-count=4",
                "gb.scaling.database.username=" + TestPostgres.user(),
                "gb.scaling.database.password=" + TestPostgres.password())) {
            DataSource ds = app.getBean(DataSource.class);
            assertThat(ds).isInstanceOf(FailoverDataSource.class);
            try (Connection c = ds.getConnection(); ResultSet rs = c.createStatement().executeQuery("select 41 + 1")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
            assertThat(app.getBean(ShardRouter.class).route(12345)).isEqualTo("shard-1");
            assertThat(app.getBean(ShardedDataSource.class).openShards()).isEmpty();
            HttpResponse<String> health = Await.until("database ok in /api/health", java.time.Duration.ofSeconds(15),
                    () -> get(app, "/api/health"), r -> r.body().contains("\"database\":\"ok\""));
            assertThat(health.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aLimiterThatCannotRideOnTheFactorysClientStillUsesTheApplicationsLettuceResources() throws Exception {
        // the application's factory is a cluster one, the limiter's Redis a standalone one: the limiter
        // opens its own client, on the application's ClientResources, not on a second set of event loops
        try (RedisServer redis = RedisServer.start();
             ConfigurableApplicationContext app = start(TestApps.OwnLettuceResources.class, Apps.exclude(true, false),
                     "spring.data.redis.cluster.nodes=127.0.0.1:" + redis.port(),
                     "gb.scaling.keys.rate-limit-redis=127.0.0.1:" + redis.port(),
                     "gb.scaling.keys.rate-limit-requests=2", "gb.scaling.keys.rate-limit-burst=0")) {
            assertThat(TestApps.OwnLettuceResources.CONNECTIONS).as("connections on the application's resources")
                    .anyMatch(address -> address.endsWith(":" + redis.port()));
            assertThat(app.getBean(RateLimiter.class)).isInstanceOf(RedisRateLimiter.class);
            assertThat(Apps.get(app, "/api/x").statusCode()).isEqualTo(200);
            assertThat(Apps.get(app, "/api/x").statusCode()).isEqualTo(200);
            assertThat(Apps.get(app, "/api/x").statusCode()).isEqualTo(429);
        }
    }

    @Test
    void rateLimitBackendLocalWinsOverRateLimitRedisWithALettuceConnectionFactoryToo() {
        // nothing listens on port 1: a limiter that went to Redis would fail the start
        try (ConfigurableApplicationContext app = start(TestApps.App.class, Apps.exclude(true, false),
                "spring.data.redis.host=127.0.0.1", "spring.data.redis.port=1",
                "gb.scaling.keys.rate-limit-redis=127.0.0.1:1", "gb.scaling.keys.rate-limit-backend=local")) {
            assertThat(app.getBean(RateLimiter.class)).isInstanceOf(LocalRateLimiter.class);
        }
    }

    @Test
    void meteringAndRateLimitingAreOneFilterInTomcatsChainWhenNothingRunsBetweenThem() throws Exception {
        try (ConfigurableApplicationContext app = start(TestApps.App.class, "gb.scaling.config=classpath:/limits.csv")) {
            assertThat(filters(app)).contains("gbInstanceFilter").doesNotContain("gbRateLimitFilter");
            assertThat(Apps.get(app, "/api/x").headers().firstValue("RateLimit")).hasValue("\"global\";r=1;t=30");
            assertThat(Apps.get(app, "/api/x").statusCode()).isEqualTo(200);
            HttpResponse<String> denied = Apps.get(app, "/api/x");
            assertThat(denied.statusCode()).isEqualTo(429);
            assertThat(denied.body()).isEqualTo(DENIED_GLOBAL);
            BotInstance instance = app.getBean(BotInstance.class);
            Await.until("no request in flight", Duration.ofSeconds(5), () -> instance.inFlight() == 0);
            assertThat(instance.load().requestsPerMinute()).as("the 429 is metered").isEqualTo(3);
        }
    }

    @Test
    void rateLimitByUserKeepsTheLimiterAFilterOfItsOwnAfterTheApplicationsAuthentication() throws Exception {
        try (ConfigurableApplicationContext app = start(TestApps.WithServletUsers.class, "gb.scaling.keys.rate-limit-by=user",
                "gb.scaling.keys.rate-limit-requests=2", "gb.scaling.keys.rate-limit-burst=0")) {
            assertThat(filters(app)).contains("gbInstanceFilter", "gbRateLimitFilter");
            assertThat(Apps.get(app, "/api/x", "X-User", "ana").statusCode()).isEqualTo(200);
            assertThat(Apps.get(app, "/api/x", "X-User", "ana").statusCode()).isEqualTo(200);
            assertThat(Apps.get(app, "/api/x", "X-User", "ana").statusCode()).isEqualTo(429);
            assertThat(Apps.get(app, "/api/x", "X-User", "bia").statusCode()).as("another user").isEqualTo(200);
            assertThat(Apps.get(app, "/api/x").statusCode()).as("anonymous: by IP").isEqualTo(200);
        }
    }

    @Test
    void aRateLimitOrderSpringSecurityOrAnOwnMeteringFilterKeepTheLimiterAFilterOfItsOwn() throws Exception {
        try (ConfigurableApplicationContext app = start(TestApps.App.class, "gb.scaling.web.rate-limit-order=-50",
                "gb.scaling.keys.rate-limit-requests=1", "gb.scaling.keys.rate-limit-burst=0")) {
            assertThat(filters(app)).contains("gbInstanceFilter", "gbRateLimitFilter");
            assertThat(Apps.get(app, "/api/x").statusCode()).isEqualTo(200);
            assertThat(Apps.get(app, "/api/x").statusCode()).isEqualTo(429);
        }
        try (ConfigurableApplicationContext app = start(TestApps.WithSecurityChain.class,
                "gb.scaling.keys.rate-limit-requests=1", "gb.scaling.keys.rate-limit-burst=0")) {
            assertThat(filters(app)).contains("gbInstanceFilter", "gbRateLimitFilter");
            assertThat(Apps.get(app, "/api/x").statusCode()).isEqualTo(200);
            assertThat(Apps.get(app, "/api/x").statusCode()).isEqualTo(429);
        }
        // the application's own metering filter: the starter's limiter cannot run inside it
        try (ConfigurableApplicationContext app = start(TestApps.OwnInstanceFilter.class,
                "gb.scaling.keys.rate-limit-requests=1", "gb.scaling.keys.rate-limit-burst=0")) {
            assertThat(filters(app)).contains("gbInstanceFilter", "gbRateLimitFilter");
            assertThat(Apps.get(app, "/api/x").statusCode()).isEqualTo(200);
            assertThat(Apps.get(app, "/api/x").statusCode()).isEqualTo(429);
        }
    }

    /** The names of the filters registered with the servlet container. */
    static Set<String> filters(ConfigurableApplicationContext app) {
        return ((org.springframework.web.context.WebApplicationContext) app).getServletContext()
                .getFilterRegistrations().keySet();
    }

    static ConfigException cause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConfigException c) {
                return c;
            }
        }
        throw new AssertionError("no ConfigException in " + failure, failure);
    }
}
