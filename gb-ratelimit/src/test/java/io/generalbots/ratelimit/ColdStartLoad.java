package io.generalbots.ratelimit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import io.generalbots.scaling.Ticker;
import io.generalbots.scaling.config.BotConfig;

/**
 * One cold botserver JVM of {@link ColdStartRedisIT}: builds the limiter from a {@code config.csv}
 * (so every setting but the limits is the default: 50 ms budget, breaker 5 / 10 s, local
 * fallback), prints {@code ready}, waits for a line on standard input (so that the processes of
 * one test start deciding together, each with a cold code path), then runs {@code THREADS}
 * threads deciding on one key as fast as they can for {@code RUN_MILLIS}, and prints one line:
 * {@code admitted=N decisions=N first=EPOCH_MICROS last=EPOCH_MICROS fallbackSwitches=N slowOver50ms=N
 * lastSlowAtMillis=MS maxMillis=MS SOURCE=N...} (the slow decisions took over 50 ms; the last one
 * started MS after the first decision).
 * {@code first} is taken before the first decision is sent (floored to the microsecond),
 * {@code last} after the last reply arrived (rounded up), both from the system clock, the clock
 * Redis {@code TIME} reads on this host.
 *
 * <p>Usage: {@code ColdStartLoad REDIS_PORT RUN_MILLIS THREADS}
 */
public final class ColdStartLoad {

    private ColdStartLoad() {
    }

    /**
     * Runs the load and prints its line.
     *
     * @param args the Redis port, the run time in ms and the number of threads
     * @throws Exception if the limiter cannot be built or a thread is interrupted
     */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long runNanos = Duration.ofMillis(Long.parseLong(args[1])).toNanos();
        int threads = Integer.parseInt(args[2]);
        BotConfig config = BotConfig.parse("config.csv", String.join("\n",
                "rate-limit-redis,127.0.0.1:" + port,
                "rate-limit-requests,500",
                "rate-limit-window,1s",
                "rate-limit-burst,100", ""));
        RateLimiter limiter = RateLimiters.of(RateLimitSettings.from(config), "cold", Ticker.system());
        AtomicInteger switches = new AtomicInteger();
        ((RedisRateLimiter) limiter).addListener(event -> {
            if (event instanceof RateLimiterEvent.FallbackStarted) {
                switches.incrementAndGet();
            }
        });
        System.out.println("ready");
        System.out.flush();
        if (new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8))
                .readLine() == null) {
            throw new IllegalStateException("standard input closed before the start signal");
        }
        RateLimitDecision.Source[] sources = RateLimitDecision.Source.values();
        AtomicLongArray bySource = new AtomicLongArray(sources.length);
        AtomicLong admitted = new AtomicLong();
        AtomicLong first = new AtomicLong(Long.MAX_VALUE);
        AtomicLong last = new AtomicLong(Long.MIN_VALUE);
        long[] deadline = new long[1];
        AtomicLong maxNanos = new AtomicLong();
        AtomicLong slow = new AtomicLong();
        AtomicLong lastSlowMillis = new AtomicLong(-1);
        List<Thread> workers = new ArrayList<>();
        long start = System.nanoTime();
        deadline[0] = start + runNanos;
        first.set(floorMicros(Instant.now()));
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                long n = 0;
                long t0;
                while ((t0 = System.nanoTime()) < deadline[0]) {
                    RateLimitDecision d = limiter.decide("hot", null);
                    long took = System.nanoTime() - t0;
                    maxNanos.accumulateAndGet(took, Math::max);
                    if (took > 50_000_000L) {
                        slow.incrementAndGet();
                        lastSlowMillis.accumulateAndGet((t0 - start) / 1_000_000, Math::max);
                    }
                    bySource.incrementAndGet(d.source().ordinal());
                    if (d.allowed()) {
                        n++;
                    }
                }
                admitted.addAndGet(n);
                last.accumulateAndGet(ceilMicros(Instant.now()), Math::max);
            }, "load-" + t);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        Map<RateLimitDecision.Source, Long> counts = new EnumMap<>(RateLimitDecision.Source.class);
        long decisions = 0;
        for (RateLimitDecision.Source s : sources) {
            long c = bySource.get(s.ordinal());
            decisions += c;
            if (c > 0) {
                counts.put(s, c);
            }
        }
        StringBuilder line = new StringBuilder().append("admitted=").append(admitted.get())
                .append(" decisions=").append(decisions).append(" first=").append(first.get())
                .append(" last=").append(last.get()).append(" fallbackSwitches=").append(switches.get())
                .append(" slowOver50ms=").append(slow.get()).append(" lastSlowAtMillis=").append(lastSlowMillis.get())
                .append(" maxMillis=").append(maxNanos.get() / 1_000_000);
        counts.forEach((s, c) -> line.append(' ').append(s).append('=').append(c));
        System.out.println(line);
        System.out.flush();
        limiter.close();
    }

    private static long floorMicros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }

    private static long ceilMicros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), (t.getNano() + 999) / 1000);
    }
}
