package io.generalbots.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.testing.IsolatedClassPath;

/** What a user who sets rate-limit-redis but did not add Lettuce sees: the artifact to add. */
class MissingLettuceTest {

    /** Runs in a class loader without lettuce-core. */
    public static final class RedisWithoutLettuce implements Callable<String> {
        @Override
        public String call() {
            RateLimitSettings settings = RateLimitSettings.from(BotConfig.of(Map.of("rate-limit-redis", "127.0.0.1:1")));
            try {
                RateLimiters.of(settings).close();
                return "built";
            } catch (RuntimeException | LinkageError e) {
                return e.getClass().getName() + ": " + e.getMessage();
            }
        }
    }

    /** A local limiter needs no Lettuce at all. */
    public static final class LocalWithoutLettuce implements Callable<String> {
        @Override
        public String call() {
            try (RateLimiter limiter = RateLimiters.of(RateLimitSettings.ofDefaults())) {
                return limiter.decide("ip:1.2.3.4", null).allowed() ? "allowed" : "denied";
            }
        }
    }

    @Test
    void redisWithoutLettuceNamesTheArtifact() throws Exception {
        IsolatedClassPath withoutLettuce = IsolatedClassPath.without("lettuce-core");
        assertThat(withoutLettuce.entries()).noneMatch(p -> p.toString().contains("lettuce-core"));
        assertThat(withoutLettuce.call(RedisWithoutLettuce.class)).isEqualTo("java.lang.IllegalStateException: "
                + "rate-limit-redis needs Lettuce on the class path: add io.lettuce:lettuce-core (managed by gb-dependencies)");
        assertThat(withoutLettuce.call(LocalWithoutLettuce.class)).isEqualTo("allowed");
    }
}
