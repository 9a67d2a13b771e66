package io.generalbots.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Random;

import io.generalbots.scaling.testing.ManualTicker;
import org.junit.jupiter.api.Test;

/**
 * The limiter against an independent model: a token bucket with exact rational token counts
 * (kept as tokens × W in µs, a BigInteger), refilled continuously, over random
 * configurations and request times. GCRA with integer units must decide exactly like it.
 */
class ReferenceModelTest {

    /** A token bucket: tokens kept as tokens × W_µs (an integer), capacity C, refill N per W. */
    static final class TokenBucket {
        final BigInteger capacity;
        final BigInteger refill;
        final BigInteger window;
        BigInteger scaledTokens;
        long last;

        TokenBucket(long capacity, long refill, long windowMicros) {
            this.capacity = BigInteger.valueOf(capacity);
            this.refill = BigInteger.valueOf(refill);
            this.window = BigInteger.valueOf(windowMicros);
            this.scaledTokens = this.capacity.multiply(window);
        }

        void advance(long now) {
            BigInteger added = BigInteger.valueOf(now - last).multiply(refill);
            scaledTokens = scaledTokens.add(added).min(capacity.multiply(window));
            last = now;
        }

        boolean has() {
            return scaledTokens.compareTo(window) >= 0;
        }

        void take() {
            scaledTokens = scaledTokens.subtract(window);
        }

        /** µs until a token is there, rounded up. */
        long waitMicros(long now) {
            BigInteger missing = window.subtract(scaledTokens);
            return missing.signum() <= 0 ? 0 : missing.add(refill).subtract(BigInteger.ONE).divide(refill).longValueExact();
        }
    }

    @Test
    void decidesLikeAnExactTokenBucketOverRandomConfigurations() {
        Random random = new Random(20261127);
        for (int round = 0; round < 300; round++) {
            long requests = 1 + random.nextInt(random.nextBoolean() ? 10 : 1000);
            long burst = random.nextInt(5) == 0 ? 0 : random.nextInt((int) requests + 5);
            long endpoint = 1 + random.nextInt(50);
            long windowMicros = 1 + (long) random.nextInt(random.nextBoolean() ? 2_000_000 : 120_000_000);
            RateLimitConfig config = RateLimitConfig.custom().requests(requests).burst(burst)
                    .window(Duration.ofNanos(windowMicros * 1000)).endpoint("e", endpoint).build();
            ManualTicker ticker = new ManualTicker();
            LocalRateLimiter limiter = LocalRateLimiter.custom(config).ticker(ticker).build();
            TokenBucket global = new TokenBucket(requests + burst, requests, windowMicros);
            TokenBucket ep = new TokenBucket(endpoint, endpoint, windowMicros);
            long now = 0;
            for (int i = 0; i < 400; i++) {
                long step = random.nextInt(4) == 0 ? 0 : (long) (random.nextDouble() * 3 * windowMicros / requests);
                now += step;
                ticker.advance(Duration.ofNanos(step * 1000));
                boolean useEndpoint = random.nextBoolean();
                global.advance(now);
                ep.advance(now);
                boolean expected = global.has() && (!useEndpoint || ep.has());
                long expectedWait = Math.max(global.waitMicros(now), useEndpoint ? ep.waitMicros(now) : 0);
                RateLimitDecision d = limiter.decide("k", useEndpoint ? "e" : null);
                String where = "round " + round + " " + config + " request " + i + " at " + now + "µs";
                assertThat(d.allowed()).as(where).isEqualTo(expected);
                if (expected) {
                    global.take();
                    if (useEndpoint) {
                        ep.take();
                    }
                } else {
                    assertThat(d.retryAfterMicros()).as(where).isEqualTo(expectedWait);
                }
            }
        }
    }
}
