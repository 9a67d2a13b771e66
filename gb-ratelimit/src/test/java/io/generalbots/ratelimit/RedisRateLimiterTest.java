package io.generalbots.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import io.generalbots.scaling.testing.CapturedLog;
import io.generalbots.scaling.testing.ManualTicker;
import io.generalbots.scaling.testing.RecordingThreadFactory;
import io.lettuce.core.RedisException;
import org.junit.jupiter.api.Test;

/**
 * The Redis limiter's warm-up, failure judgement and fallback on a {@link FakeRedis} that answers
 * when told, a manual ticker and a manual budget timer: no sleeping, no real Redis (the real one is
 * in {@link RedisRateLimiterIT} and {@link ColdStartRedisIT}).
 *
 * <p>Limits: 2 per 10 s + 1 burst (capacity 3, one unit per 5 s: the script's diffs are in µs,
 * 5,000,000 per request, tolerance 15,000,000); {@code chat} 1 per 10 s (10,000,000, tolerance the same).
 */
class RedisRateLimiterTest {

    private static final long UNIT = 5_000_000;
    private static final long CHAT_UNIT = 10_000_000;

    private final ManualTicker ticker = new ManualTicker();
    private final ManualTimer timer = new ManualTimer(ticker);
    private final FakeRedis redis = new FakeRedis();
    private final List<String> events = new CopyOnWriteArrayList<>();

    private RedisRateLimiter.Builder builder() {
        RateLimitConfig config = RateLimitConfig.custom().requests(2).window(Duration.ofSeconds(10)).burst(1)
                .endpoint("chat", 1).build();
        return RedisRateLimiter.custom(config).name("t").commands(redis).ticker(ticker).timer(timer);
    }

    private RedisRateLimiter listened(RedisRateLimiter limiter) {
        limiter.addListener(event -> {
            if (event instanceof RateLimiterEvent.FallbackStarted f) {
                events.add("fallback: " + f.cause().getMessage());
            } else if (event instanceof RateLimiterEvent.TrialFailed t) {
                events.add("trial failed: " + t.cause().getMessage());
            } else if (event instanceof RateLimiterEvent.Recovered r) {
                events.add("recovered");
            }
        });
        return limiter;
    }

    private void advance(long millis) {
        ticker.advance(Duration.ofMillis(millis));
        timer.runDue();
    }

    /** A decision whose reply misses the 50 ms budget; its call stays open at Redis. */
    private RateLimitDecision missed(RedisRateLimiter limiter, String key, String endpoint) {
        CompletableFuture<RateLimitDecision> d = limiter.decideAsync(key, endpoint).toCompletableFuture();
        assertThat(d).isNotDone();
        advance(50);
        assertThat(d).isDone();
        return d.join();
    }

    private static String pattern(List<RateLimitDecision> decisions) {
        StringBuilder sb = new StringBuilder();
        decisions.forEach(d -> sb.append(d.allowed() ? 'A' : 'D'));
        return sb.toString();
    }

    @Test
    void buildLoadsTheScriptAndProbesItSoTheFirstDecisionIsOneEvalsha() {
        try (RedisRateLimiter limiter = builder().build()) {
            assertThat(redis.commands()).containsExactly("SCRIPT LOAD", "EVALSHA");
            FakeRedis.Sent probe = redis.sent.get(1);
            assertThat(probe.keys()).containsExactly("t:{gb-warmup}:global");
            assertThat(probe.args()).as("a bucket of tolerance 0: always denied, nothing written")
                    .containsExactly("1", "0", "1", "0");
            limiter.decideAsync("k", null);
            assertThat(redis.commands()).containsExactly("SCRIPT LOAD", "EVALSHA", "EVALSHA");
        }
        redis.failWarmUp = true;
        assertThatThrownBy(() -> builder().build())
                .isInstanceOf(RedisUnavailableException.class)
                .hasMessage("rate limiter 't': Redis did not complete the warm-up (SCRIPT LOAD and one probe) "
                        + "within PT2S: io.lettuce.core.RedisException: ERR the fake refuses the warm-up")
                .hasCauseInstanceOf(RedisException.class)
                .satisfies(e -> assertThat(((RedisUnavailableException) e).limiter()).isEqualTo("t"));
    }

    @Test
    void coldLatencyInTheWarmUpIsNeitherAFallbackNorAnOutageAndALateReplyAfterItIsNoOutageEither() {
        RedisRateLimiter limiter = listened(builder().build()); // 50 ms budget, 300 ms failure, warm-up 5 s / 2 s
        List<CompletableFuture<RateLimitDecision>> cold = new ArrayList<>();
        for (int i = 0; i < 8; i++) { // 8 threads of a cold JVM, their replies 1.999 s late
            cold.add(limiter.decideAsync("k", null).toCompletableFuture());
        }
        advance(1_999);
        assertThat(cold).noneMatch(CompletableFuture::isDone);
        for (int i = 0; i < 8; i++) {
            long diff = (i + 1) * UNIT; // as Redis computes it: the 4th and later would pass the tolerance
            redis.next().reply().complete(FakeRedis.reply(diff <= 3 * UNIT, diff, 0));
        }
        List<RateLimitDecision> decisions = cold.stream().map(CompletableFuture::join).toList();
        assertThat(decisions).allMatch(d -> d.source() == RateLimitDecision.Source.REDIS);
        assertThat(pattern(decisions)).isEqualTo("AAADDDDD");
        assertThat(events).isEmpty();
        assertThat(limiter.isFallbackActive()).isFalse();

        advance(3_001); // 5 s after the first decision: warm, the 50 ms budget applies
        for (int i = 0; i < 10; i++) { // replies 100 ms late: answered at 50 ms by the fallback ...
            assertThat(missed(limiter, "k", null).source()).isEqualTo(RateLimitDecision.Source.FALLBACK_LOCAL);
            advance(50);
            redis.next().reply().complete(FakeRedis.reply(false, 4 * UNIT, 0));
        }
        assertThat(events).as("... but a Redis that answers late is up").isEmpty();
        assertThat(limiter.isFallbackActive()).isFalse();

        for (int i = 0; i < 5; i++) { // no reply within the failure timeout: five in a row are an outage
            missed(limiter, "k", null);
            advance(250);
        }
        assertThat(events).containsExactly("fallback: no reply from Redis within PT0.3S");
        assertThat(limiter.isFallbackActive()).isTrue();
    }

    @Test
    void aSilentRedisDuringTheWarmUpIsAnOutageAfterTheWarmUpTimeout() {
        RedisRateLimiter limiter = listened(builder().build());
        List<CompletableFuture<RateLimitDecision>> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            calls.add(limiter.decideAsync("k", null).toCompletableFuture());
        }
        advance(1_999);
        assertThat(calls).noneMatch(CompletableFuture::isDone);
        assertThat(events).isEmpty();
        advance(1);
        assertThat(calls).allMatch(c -> c.join().source() == RateLimitDecision.Source.FALLBACK_LOCAL);
        assertThat(events).containsExactly("fallback: no reply from Redis within PT2S (warm-up)");
    }

    @Test
    void aMissedBudgetWhileRedisIsUpAnswersWithRedisLastWordNotAFullBucket() {
        RedisRateLimiter limiter = listened(builder().warmup(Duration.ZERO).build());
        CompletableFuture<RateLimitDecision> first = limiter.decideAsync("k", "chat").toCompletableFuture();
        redis.next().reply().complete(FakeRedis.reply(true, 3 * UNIT, CHAT_UNIT)); // k has used both buckets up
        assertThat(first.join().source()).isEqualTo(RateLimitDecision.Source.REDIS);
        assertThat(first.join().remaining()).isZero();

        RateLimitDecision chat = missed(limiter, "k", "chat");
        assertThat(chat.source()).isEqualTo(RateLimitDecision.Source.FALLBACK_LOCAL);
        assertThat(chat.allowed()).as("a full local bucket would allow it").isFalse();
        assertThat(chat.policy()).isEqualTo("chat");
        RateLimitDecision global = missed(limiter, "k", null);
        assertThat(global.allowed()).isFalse();
        assertThat(global.policy()).isEqualTo("global");

        // a client this node never had a Redis answer for is, as far as it knows, a new client
        RateLimitDecision fresh = missed(limiter, "new", null);
        assertThat(fresh.allowed()).isTrue();
        assertThat(fresh.remaining()).isEqualTo(2);
        // its late reply says Redis is limiting it (other nodes used it up): the fallback follows
        // the late replies (as Redis decided them at 50, 100 and 150 ms): the first two as before ...
        redis.next().reply().complete(FakeRedis.reply(false, 4 * UNIT - 50_000, 2 * CHAT_UNIT - 50_000));
        redis.next().reply().complete(FakeRedis.reply(false, 4 * UNIT - 100_000, 0));
        // ... the third says Redis is limiting "new" (other nodes used it up): the fallback follows
        redis.next().reply().complete(FakeRedis.reply(false, 4 * UNIT, 0));
        assertThat(missed(limiter, "new", null).allowed()).isFalse();
        assertThat(events).as("late replies are no outage").isEmpty();
        // no refill while Redis is presumed up: 6 s after Redis's last word, k would have refilled one
        // unit (at 5.05 s) on a local clock; the fallback does not assume it did
        advance(5_800);
        assertThat(missed(limiter, "k", null).allowed()).isFalse();
    }

    @Test
    void inAnOutageAClientRedisWasLimitingRefillsFromWhereRedisLeftIt() {
        RedisRateLimiter limiter = listened(builder().warmup(Duration.ZERO).build());
        CompletableFuture<RateLimitDecision> k = limiter.decideAsync("k", null).toCompletableFuture();
        redis.next().reply().complete(FakeRedis.reply(true, 3 * UNIT, 0)); // k: 0 left
        CompletableFuture<RateLimitDecision> other = limiter.decideAsync("other", null).toCompletableFuture();
        redis.next().reply().complete(FakeRedis.reply(true, UNIT, 0)); // other: 2 left
        assertThat(k.join().remaining()).isZero();
        assertThat(other.join().remaining()).isEqualTo(2);

        List<CompletableFuture<RateLimitDecision>> silent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            silent.add(limiter.decideAsync("x", null).toCompletableFuture());
        }
        advance(300); // Redis is gone: five calls without a reply
        assertThat(events).containsExactly("fallback: no reply from Redis within PT0.3S");
        assertThat(silent).allMatch(c -> c.join().source() == RateLimitDecision.Source.FALLBACK_LOCAL);

        RateLimitDecision denied = limiter.decide("k", null);
        assertThat(denied.source()).isEqualTo(RateLimitDecision.Source.FALLBACK_LOCAL);
        assertThat(denied.allowed()).as("k is where Redis left it, not full").isFalse();
        assertThat(denied.retryAfterMicros()).isEqualTo(UNIT - 300_000); // one unit 5 s after Redis's answer
        List<RateLimitDecision> others = List.of(limiter.decide("other", null), limiter.decide("other", null),
                limiter.decide("other", null));
        assertThat(pattern(others)).as("the 2 Redis left (and 0.3 s of refill), not 3").isEqualTo("AAD");
        advance(4_700); // from here the fallback refills at the configured rate, per node
        assertThat(pattern(List.of(limiter.decide("k", null), limiter.decide("k", null)))).isEqualTo("AD");
        assertThat(redis.waitingCount()).as("nothing went to Redis while the breaker was open").isEqualTo(5);
    }

    @Test
    void aThrowingListenerIsLoggedAndTheOthersStillHearOfTheFallbackAndTheRecovery() {
        RedisRateLimiter limiter = builder().warmup(Duration.ZERO).breaker(1, Duration.ofSeconds(10)).build();
        limiter.addListener(event -> {
            throw new IllegalStateException("listener bug");
        });
        listened(limiter);
        try (CapturedLog log = CapturedLog.open()) {
            CompletableFuture<RateLimitDecision> d = limiter.decideAsync("k", null).toCompletableFuture();
            redis.next().reply().completeExceptionally(new RedisException("connection refused"));
            assertThat(d.join().source()).isEqualTo(RateLimitDecision.Source.FALLBACK_LOCAL);
            assertThat(events).containsExactly("fallback: connection refused");
            assertThat(log.linesContaining("failed on")).singleElement().asString()
                    .contains("WARN io.generalbots.scaling.event.EventPublisher - rate limiter 't': listener ")
                    .contains(" failed on FallbackStarted[limiter=t, mode=LOCAL, retryAfter=PT10S, cause=");
        }
        advance(10_000);
        CompletableFuture<RateLimitDecision> failedTrial = limiter.decideAsync("k", null).toCompletableFuture();
        redis.next().reply().completeExceptionally(new RedisException("still refused"));
        assertThat(failedTrial.join().source()).isEqualTo(RateLimitDecision.Source.FALLBACK_LOCAL);
        advance(10_000);
        CompletableFuture<RateLimitDecision> trial = limiter.decideAsync("k", null).toCompletableFuture();
        redis.next().reply().complete(FakeRedis.reply(true, 2 * UNIT, 0));
        assertThat(trial.join().source()).isEqualTo(RateLimitDecision.Source.REDIS);
        assertThat(events).containsExactly("fallback: connection refused",
                "trial failed: still refused", "recovered");
        assertThat(limiter.isFallbackActive()).isFalse();
        CompletableFuture<RateLimitDecision> next = limiter.decideAsync("k", null).toCompletableFuture();
        redis.next().reply().complete(FakeRedis.reply(true, 3 * UNIT, 0));
        assertThat(next.join().source()).as("the limiter still decides from Redis").isEqualTo(RateLimitDecision.Source.REDIS);
    }

    @Test
    void aHostThreadFactoryGivesTheBudgetThreadWhichCloseStopsAnsweringWhatIsPending() {
        RecordingThreadFactory host = new RecordingThreadFactory("host-budget");
        List<Thread> made = host.made();
        RateLimitConfig config = RateLimitConfig.custom().requests(2).window(Duration.ofSeconds(10)).burst(1).build();
        RedisRateLimiter limiter = RedisRateLimiter.custom(config).name("t").commands(redis).ticker(ticker)
                .threadFactory(host).timeout(Duration.ofHours(1)).build();
        CompletableFuture<RateLimitDecision> pending;
        try {
            assertThat(made).as("one thread, asked for when built").hasSize(1);
            pending = limiter.decideAsync("k", null).toCompletableFuture();
            assertThat(made).hasSize(1);
            assertThat(made.get(0).isAlive()).as("started by the first budget").isTrue();
            assertThat(pending).isNotDone();
        } finally {
            limiter.close();
        }
        assertThat(made.get(0).isAlive()).as("the limiter's own timer is stopped (and joined) by close").isFalse();
        assertThat(pending).as("a decision whose budget had not run out is answered by the failure mode").isDone();
        assertThat(pending.join().source()).isEqualTo(RateLimitDecision.Source.FALLBACK_LOCAL);
        assertThat(pending.join().allowed()).isTrue();
        assertThat(made).as("the host's factory is not asked again").hasSize(1);
    }

    @Test
    void closeRacingRepliesFromAnotherThreadAnswersEveryDecisionOnce() throws Exception {
        ThreadFactory host = r -> {
            Thread t = new Thread(r, "host-budget");
            t.setDaemon(true);
            return t;
        };
        RedisRateLimiter limiter = builder().threadFactory(host).timeout(Duration.ofHours(1)).build();
        List<CompletableFuture<RateLimitDecision>> decisions = new CopyOnWriteArrayList<>();
        ExecutorService deciders = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        for (int t = 0; t < 4; t++) {
            int thread = t;
            deciders.submit(() -> {
                go.await();
                for (int i = 0; i < 100; i++) {
                    decisions.add(limiter.decideAsync("k" + thread + "-" + i, null).toCompletableFuture());
                }
                return null;
            });
        }
        go.countDown();
        deciders.shutdown();
        assertThat(deciders.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
        assertThat(decisions).hasSize(400).noneMatch(CompletableFuture::isDone);
        // half the replies come on another thread while the limiter closes, the rest after it closed
        Thread replier = new Thread(() -> {
            for (int i = 0; i < 200; i++) {
                redis.next().reply().complete(FakeRedis.reply(true, UNIT, 0));
            }
        });
        replier.start();
        limiter.close();
        replier.join();
        assertThat(decisions).allMatch(CompletableFuture::isDone);
        List<RateLimitDecision> before = decisions.stream().map(CompletableFuture::join).toList();
        while (redis.waitingCount() > 0) {
            redis.next().reply().complete(FakeRedis.reply(true, UNIT, 0)); // too late: changes nothing
        }
        assertThat(decisions.stream().map(CompletableFuture::join).toList()).isEqualTo(before);
        long fromRedis = before.stream().filter(d -> d.source() == RateLimitDecision.Source.REDIS).count();
        long fromClose = before.stream().filter(d -> d.source() == RateLimitDecision.Source.FALLBACK_LOCAL).count();
        assertThat(fromRedis).isLessThanOrEqualTo(200);
        assertThat(fromRedis + fromClose).isEqualTo(400);
    }

    @Test
    void hostResourcesAndThreadFactoryMustBeGiven() {
        assertThatThrownBy(() -> builder().threadFactory(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("threadFactory");
        assertThatThrownBy(() -> builder().clientResources(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("clientResources");
    }
}
