package io.generalbots.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import io.generalbots.scaling.Ticker;
import io.generalbots.scaling.testing.ManualTicker;
import org.junit.jupiter.api.Test;

class LocalRateLimiterTest {

    private final ManualTicker ticker = new ManualTicker();

    private LocalRateLimiter limiter(RateLimitConfig config) {
        return LocalRateLimiter.custom(config).ticker(ticker).build();
    }

    private static String run(RateLimiter limiter, String key, String endpoint, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(limiter.tryAcquire(key, endpoint) ? 'A' : 'D');
        }
        return sb.toString();
    }

    @Test
    void burstThenRefillAtRPerW() {
        LocalRateLimiter limiter = limiter(RateLimitConfig.ofDefaults()); // 100/60s + 20
        RateLimitDecision first = limiter.decide("1.2.3.4", null);
        assertThat(first.allowed()).isTrue();
        assertThat(first.policy()).isEqualTo("global");
        assertThat(first.limit()).isEqualTo(120);
        assertThat(first.remaining()).isEqualTo(119);
        assertThat(first.nextMicros()).isEqualTo(600_000);
        assertThat(run(limiter, "1.2.3.4", null, 119)).isEqualTo("A".repeat(119));
        RateLimitDecision denied = limiter.decide("1.2.3.4", null);
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.remaining()).isZero();
        assertThat(denied.retryAfterMicros()).isEqualTo(600_000);
        assertThat(denied.retryAfterSeconds()).isEqualTo(1);
        ticker.advance(Duration.ofMillis(599));
        assertThat(limiter.decide("1.2.3.4", null).retryAfterMicros()).isEqualTo(1_000);
        ticker.advance(Duration.ofMillis(1));
        assertThat(run(limiter, "1.2.3.4", null, 2)).isEqualTo("AD");
        // another client is untouched
        assertThat(limiter.decide("5.6.7.8", null).remaining()).isEqualTo(119);
        // a full window later, R more (not R+B): the long-run rate is R per W
        ticker.advance(Duration.ofSeconds(60));
        assertThat(run(limiter, "1.2.3.4", null, 101)).isEqualTo("A".repeat(100) + "D");
    }

    @Test
    void aSeedFromRedisOnlyMovesTheStateForwardAndAFrozenDecisionGetsNoRefill() {
        RateLimitConfig config = RateLimitConfig.custom().requests(2).window(Duration.ofSeconds(10)).burst(1).build();
        LocalRateLimiter limiter = limiter(config); // capacity 3, one unit per 5 s (5,000,000 units of 1 µs)
        Bucket global = config.globalBucket();
        limiter.seed("k", global, 15_000_000, null, 0, true); // Redis: k took its last unit now
        limiter.seed("k", global, 5_000_000, null, 0, true); // an older reply, arriving late: no refill
        RateLimitDecision d = limiter.decide("k", null, RateLimitDecision.Source.FALLBACK_LOCAL, false);
        assertThat(d.allowed()).isFalse();
        assertThat(d.retryAfterMicros()).isEqualTo(5_000_000);
        ticker.advance(Duration.ofSeconds(6));
        assertThat(limiter.decide("k", null, RateLimitDecision.Source.FALLBACK_LOCAL, true).allowed())
                .as("frozen at the seed: no refill since Redis's last word").isFalse();
        assertThat(limiter.decide("k", null, RateLimitDecision.Source.FALLBACK_LOCAL, false).allowed())
                .as("refilling: one unit 5 s after it").isTrue();
        // a denied reply carries the would-be diff, one increment past the stored state
        limiter.seed("j", global, 20_000_000, null, 0, false);
        assertThat(limiter.decide("j", null).retryAfterMicros()).isEqualTo(5_000_000);
        // a key never seeded decides on the clock even when frozen: a new client, full
        assertThat(limiter.decide("new", null, RateLimitDecision.Source.FALLBACK_LOCAL, true).remaining()).isEqualTo(2);
    }

    @Test
    void exactWhenTheIntervalIsNotAWholeNumberOfMicroseconds() {
        LocalRateLimiter limiter = limiter(RateLimitConfig.custom().requests(3).window(Duration.ofSeconds(1))
                .burst(0).build());
        assertThat(run(limiter, "k", null, 4)).isEqualTo("AAAD");
        assertThat(limiter.decide("k", null).retryAfterMicros()).isEqualTo(333_334); // 333,333.3 rounded up
        ticker.advance(Duration.ofNanos(999_999_000));
        assertThat(run(limiter, "k", null, 3)).isEqualTo("AAD"); // 2.999997 units back: two whole ones
        ticker.advance(Duration.ofNanos(1_000));
        assertThat(run(limiter, "k", null, 2)).isEqualTo("AD"); // exactly 1 s after the start: the third one
    }

    @Test
    void endpointLimitOnTopOfGlobalAndADenialConsumesNothingElsewhere() {
        LocalRateLimiter limiter = limiter(RateLimitConfig.custom().requests(100).burst(20)
                .endpoint("chat", 30).endpoint("auth", 10).build());
        RateLimitDecision chat = limiter.decide("c", "chat");
        assertThat(chat.policy()).isEqualTo("chat");
        assertThat(chat.limit()).isEqualTo(30);
        assertThat(chat.remaining()).isEqualTo(29);
        assertThat(chat.nextMicros()).isEqualTo(2_000_000); // 60 s / 30
        assertThat(run(limiter, "c", "chat", 29 + 5)).isEqualTo("A".repeat(29) + "DDDDD");
        RateLimitDecision denied = limiter.decide("c", "chat");
        assertThat(denied.policy()).isEqualTo("chat");
        assertThat(denied.retryAfterMicros()).isEqualTo(2_000_000);
        // the global bucket paid only for the 30 allowed chat requests: 90 left
        assertThat(run(limiter, "c", null, 91)).isEqualTo("A".repeat(90) + "D");
        // global empty: an auth request is denied by the global limit and costs auth nothing
        RateLimitDecision auth = limiter.decide("c", "auth");
        assertThat(auth.allowed()).isFalse();
        assertThat(auth.policy()).isEqualTo("global");
        assertThat(auth.retryAfterMicros()).isEqualTo(600_000);
        ticker.advance(Duration.ofMillis(600));
        RateLimitDecision afterRefill = limiter.decide("c", "auth");
        assertThat(afterRefill.allowed()).isTrue();
        assertThat(afterRefill.policy()).isEqualTo("global"); // 0 left globally < 9 left for auth
        assertThat(limiter.decide("c", "auth").policy()).isEqualTo("global");
        ticker.advance(Duration.ofSeconds(6)); // 10 global back; auth: 9 (+1 refilled, capped at 10)
        RateLimitDecision later = limiter.decide("c", "auth");
        assertThat(later.policy()).isEqualTo("auth"); // tie: 9 left in both, the endpoint is reported
        assertThat(later.remaining()).isEqualTo(9); // the two denied auth requests cost auth nothing
    }

    @Test
    void unknownEndpointIsGlobalOnlyAndPathsMapToEndpoints() {
        LocalRateLimiter limiter = limiter(RateLimitConfig.custom().endpoint("chat", 1).endpoint("chat/admin", 2).build());
        assertThat(run(limiter, "k", "files", 3)).isEqualTo("AAA");
        assertThat(limiter.endpointOf("/api/chat")).isEqualTo("chat");
        assertThat(limiter.endpointOf("/api/chat/send")).isEqualTo("chat");
        assertThat(limiter.endpointOf("/api/chat/admin/x")).isEqualTo("chat/admin");
        assertThat(limiter.endpointOf("/api/chatty")).isNull();
        assertThat(limiter.endpointOf("/other/chat")).isNull();
    }

    @Test
    void idleKeysAreForgottenOnceFullAgainAndTheStoreStaysBounded() {
        LocalRateLimiter limiter = LocalRateLimiter.custom(RateLimitConfig.ofDefaults()).ticker(ticker).executor(Runnable::run)
                .maxKeys(10_000).build();
        for (int i = 0; i < 1_000_000; i++) {
            limiter.tryAcquire("10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255), null);
        }
        assertThat(limiter.trackedKeys()).isLessThanOrEqualTo(10_000);
        ticker.advance(Duration.ofSeconds(72)); // (R+B)/R × W: full again, kept for a margin of a minute
        assertThat(limiter.trackedKeys()).isGreaterThan(0);
        ticker.advance(Duration.ofSeconds(60));
        assertThat(limiter.trackedKeys()).isZero();
    }

    @Test
    void badConfigValuesAreNamed() {
        assertThatThrownBy(() -> RateLimitConfig.custom().requests(0).build())
                .hasMessage("requests must be from 1 to 100000, but was 0");
        assertThatThrownBy(() -> RateLimitConfig.custom().endpoint("a b", 3))
                .hasMessage("endpoint name must be a path segment such as chat, but was \"a b\"");
        assertThatThrownBy(() -> RateLimitConfig.custom().window(Duration.ZERO).build())
                .hasMessage("window must be positive, but was PT0S");
        assertThatThrownBy(() -> RateLimitConfig.custom().requests(100_000).burst(100_000)
                .window(Duration.ofDays(1)).build())
                .hasMessage("(requests + burst) × window must be below 2^53 microseconds, but was 200000 × 86400000000µs");
    }

    @Test
    void disabledAllowsEverything() {
        RateLimiter disabled = RateLimiter.disabled();
        assertThat(disabled.decide("k", "chat").allowed()).isTrue();
        assertThat(disabled.decide("k", "chat").policy()).isNull();
        assertThat(disabled.tryAcquire("k", null)).isTrue();
        assertThat(disabled.decideAsync("k", null).toCompletableFuture().join().allowed()).isTrue();
    }

    @Test
    void eightThreadsNeverAdmitMoreThanTheBucketAllows() throws Exception {
        RateLimitConfig config = RateLimitConfig.custom().requests(1000).window(Duration.ofMillis(100)).burst(50)
                .endpoint("chat", 500).build();
        Ticker system = Ticker.system();
        LocalRateLimiter limiter = LocalRateLimiter.custom(config).ticker(system).build();
        long start = system.read();
        AtomicLong admitted = new AtomicLong();
        AtomicLong admittedChat = new AtomicLong();
        int threads = 8;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        // a number of attempts, not a time: the lower bounds below hold on any machine
        int attemptsPerThread = 50_000;
        for (int t = 0; t < threads; t++) {
            boolean chat = t % 2 == 0;
            Thread w = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < attemptsPerThread; i++) {
                    if (limiter.tryAcquire("hot", chat ? "chat" : null)) {
                        admitted.incrementAndGet();
                        if (chat) {
                            admittedChat.incrementAndGet();
                        }
                    }
                }
            });
            w.start();
            workers.add(w);
        }
        go.countDown();
        for (Thread w : workers) {
            w.join();
        }
        double elapsedWindows = (system.read() - start) / 1e8;
        // never more than capacity + refill over the time the run really took; at least the full
        // global capacity, since the 200,000 global-only attempts alone exceed it and a denial
        // takes nothing
        assertThat(admitted.get()).isGreaterThanOrEqualTo(1050).isLessThanOrEqualTo((long) (1050 + 1000 * elapsedWindows));
        assertThat(admittedChat.get()).isPositive().isLessThanOrEqualTo((long) (500 + 500 * elapsedWindows));
    }
}
