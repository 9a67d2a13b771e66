package io.generalbots.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;

import io.generalbots.ratelimit.ClientKeyResolver;
import io.generalbots.ratelimit.RateLimitConfig;
import io.generalbots.ratelimit.RateLimitGate;
import io.generalbots.ratelimit.RedisRateLimiter;
import io.generalbots.scaling.testing.RedisServer;
import org.junit.jupiter.api.Test;

/** The servlet filter over the Redis limiter, on a real Jetty 12 (ee10) and a real redis-server. */
class JettyRedisRateLimitIT {

    @Test
    void twoServersShareOneLimitThroughRedis() throws Exception {
        RateLimitConfig limits = RateLimitConfig.custom().requests(3).window(Duration.ofMinutes(1)).burst(0).build();
        try (RedisServer redis = RedisServer.start();
             RedisRateLimiter a = RedisRateLimiter.custom(limits).standalone("redis://127.0.0.1:" + redis.port()).build();
             RedisRateLimiter b = RedisRateLimiter.custom(limits).standalone("redis://127.0.0.1:" + redis.port()).build();
             JettyServer one = JettyServer.start(c -> JettyServer.filter(c,
                     RateLimitServletFilter.of(RateLimitGate.of(a, ClientKeyResolver.custom().build()))));
             JettyServer two = JettyServer.start(c -> JettyServer.filter(c,
                     RateLimitServletFilter.of(RateLimitGate.of(b, ClientKeyResolver.custom().build()))))) {
            assertThat(one.get("/api/x").headers().firstValue("RateLimit")).hasValue("\"global\";r=2;t=20");
            assertThat(two.get("/api/x").headers().firstValue("RateLimit")).hasValue("\"global\";r=1;t=20");
            assertThat(one.get("/api/x").statusCode()).isEqualTo(200);
            HttpResponse<String> denied = two.get("/api/x");
            assertThat(denied.statusCode()).isEqualTo(429);
            assertThat(denied.body()).isEqualTo("{\"type\":\"https://iana.org/assignments/http-problem-types#quota-exceeded\","
                    + "\"title\":\"Too Many Requests\",\"status\":429,\"detail\":\"Too many requests for the global limit: 3 per 60 s, in bursts of up to 3.\",\"retry-after\":20,\"policy\":\"global\"}");
        }
    }
}
