package io.generalbots.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.generalbots.scaling.testing.ManualTicker;
import org.junit.jupiter.api.Test;

/**
 * What the limiter promises, checked against its own decisions: a bucket of capacity C refilled
 * at N per W admits up to C + N − 1 requests within one window W (2R+B−1 for the global bucket),
 * and {@code RateLimit-Policy} says exactly that, not C.
 */
class RateLimitPromiseTest {

    @Test
    void policyHeaderStatesTheMostAWindowAdmits() {
        RateLimitConfig seed = RateLimitConfig.custom().requests(100).window(Duration.ofSeconds(60)).burst(20)
                .endpoint("chat", 30).build();
        // 2R+B-1 = 219 in a minute globally, 2N-1 = 59 for /api/chat; not 120 and 30
        assertThat(RateLimitHeaders.policy(seed, "chat")).isEqualTo("\"global\";q=219;w=60, \"chat\";q=59;w=60");
        assertThat(RateLimitHeaders.policy(seed, null)).isEqualTo("\"global\";q=219;w=60");
        // a window that is not whole seconds is announced rounded up, with the bound for that longer window
        RateLimitConfig odd = RateLimitConfig.custom().requests(3).window(Duration.ofMillis(1500)).burst(0).build();
        assertThat(RateLimitHeaders.policy(odd, null)).isEqualTo("\"global\";q=6;w=2");
    }

    @Test
    void aClientSendingWheneverAllowedGetsExactlyQWithinW() {
        assertGreedyClientGetsQ(RateLimitConfig.custom().requests(100).window(Duration.ofSeconds(60)).burst(20).build(),
                null, 219);
        assertGreedyClientGetsQ(RateLimitConfig.custom().requests(100_000).window(Duration.ofSeconds(60)).burst(0)
                .endpoint("chat", 30).build(), "chat", 59);
        assertGreedyClientGetsQ(RateLimitConfig.custom().requests(3).window(Duration.ofMillis(1500)).burst(0).build(),
                null, 6);
        assertGreedyClientGetsQ(RateLimitConfig.custom().requests(3).window(Duration.ofSeconds(1)).burst(0).build(),
                null, 5);
        assertGreedyClientGetsQ(RateLimitConfig.custom().requests(1).window(Duration.ofSeconds(10)).burst(0).build(),
                null, 1);
    }

    /**
     * Starts with a full bucket at t = 0 and sends whenever allowed (waiting exactly Retry-After
     * each time): the earliest possible schedule, so no client gets more into [0, w). Its count
     * must equal the header's {@code q}.
     */
    private static void assertGreedyClientGetsQ(RateLimitConfig config, String endpoint, long expectedQ) {
        String policy = RateLimitHeaders.policy(config, endpoint);
        Matcher m = Pattern.compile("\"" + (endpoint == null ? "global" : endpoint) + "\";q=(\\d+);w=(\\d+)")
                .matcher(policy);
        assertThat(m.find()).as(policy).isTrue();
        long q = Long.parseLong(m.group(1));
        long wMicros = Long.parseLong(m.group(2)) * 1_000_000;
        assertThat(q).as(policy).isEqualTo(expectedQ);

        ManualTicker ticker = new ManualTicker();
        LocalRateLimiter limiter = LocalRateLimiter.custom(config).ticker(ticker).build();
        long elapsed = 0;
        long admitted = 0;
        while (elapsed < wMicros) {
            RateLimitDecision d = limiter.decide("greedy", endpoint);
            if (d.allowed()) {
                admitted++;
            } else {
                assertThat(d.retryAfterMicros()).isPositive();
                ticker.advance(Duration.ofNanos(d.retryAfterMicros() * 1000));
                elapsed += d.retryAfterMicros();
            }
        }
        assertThat(admitted).as("admitted within %d µs by %s", wMicros, config).isEqualTo(q);
    }
}
