package io.generalbots.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.generalbots.ratelimit.RateLimitConfig;
import io.generalbots.ratelimit.RateLimitDecision;
import io.generalbots.ratelimit.RedisRateLimiter;
import io.generalbots.scaling.testing.RedisServer;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Redis-backed rate limiting with 16 concurrent async callers (each operation launches 16
 * decisions at once on one Lettuce connection and waits for all), on one hot key and on 10,000
 * spread keys: gb-ratelimit's {@link RedisRateLimiter} against Bucket4j's Lettuce proxy manager
 * (compare-and-swap) and a bare one-round-trip GCRA script called with EVALSHA, all on the same
 * redis-server started here. Limits are high, so every decision is an allow (a state write).
 * At the end of each benchmark, the commands the client sent per decision are printed
 * ({@code INFO commandstats} would count a script's inner calls too).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@State(Scope.Benchmark)
public class RateLimitRedisBenchmark {

    static final int CALLERS = 16;
    static final int KEYS = 10_000;
    static final long RATE = 100_000;

    static final String BARE_GCRA = String.join("\n",
            "local t = redis.call('TIME')",
            "local now = tonumber(t[1]) * 1000000 + tonumber(t[2])",
            "local tat = tonumber(redis.call('GET', KEYS[1])) or now",
            "if tat < now then tat = now end",
            "local new = tat + tonumber(ARGV[1])",
            "if new - now > tonumber(ARGV[2]) then return 0 end",
            "redis.call('SET', KEYS[1], string.format('%.0f', new), 'PX', math.floor((new - now) / 1000) + 1)",
            "return 1");

    RedisServer redis;
    RedisClient client;
    StatefulRedisConnection<String, String> connection;
    RedisAsyncCommands<String, String> bare;
    String bareSha;
    RedisRateLimiter gb;
    AsyncProxyManager<byte[]> bucket4j;
    AsyncBucketProxy b4jHot;
    AsyncBucketProxy[] b4jKeys;
    String[] keys;
    final AtomicLong commands = new AtomicLong();
    final AtomicLong decisions = new AtomicLong();
    int cursor;

    @Setup(Level.Trial)
    public void setup() {
        redis = RedisServer.start();
        client = RedisClient.create(redis.uri());
        client.addListener(new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                commands.incrementAndGet();
            }
        });
        connection = client.connect();
        bare = connection.async();
        bareSha = bare.scriptLoad(BARE_GCRA).toCompletableFuture().join();
        StatefulRedisConnection<String, String> gbConnection = client.connect();
        gb = RedisRateLimiter.custom(RateLimitConfig.custom().requests(RATE).window(Duration.ofSeconds(1)).burst(RATE)
                .build()).commands(gbConnection.async()).timeout(Duration.ofSeconds(2)).build();
        bucket4j = Bucket4jLettuce.casBasedBuilder(client)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                .build().asAsync();
        BucketConfiguration b4jConfig = BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(2 * RATE).refillGreedy(RATE, Duration.ofSeconds(1)).build()).build();
        b4jHot = bucket4j.builder().build("b4j:hot".getBytes(), () -> CompletableFuture.completedFuture(b4jConfig));
        keys = new String[KEYS];
        b4jKeys = new AsyncBucketProxy[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "client-" + i;
            b4jKeys[i] = bucket4j.builder().build(("b4j:" + i).getBytes(), () -> CompletableFuture.completedFuture(b4jConfig));
        }
    }

    @Setup(Level.Iteration)
    public void resetCounts() {
        commands.set(0);
        decisions.set(0);
    }

    @TearDown(Level.Iteration)
    public void printCounts() {
        System.out.printf("%n  client commands per decision: %.3f (%d / %d)%n",
                commands.get() / (double) Math.max(1, decisions.get()), commands.get(), decisions.get());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        gb.close();
        client.shutdown();
        redis.close();
    }

    private String nextKey() {
        cursor = (cursor + 1) % KEYS;
        return keys[cursor];
    }

    private void await(List<CompletableFuture<?>> calls) {
        CompletableFuture.allOf(calls.toArray(new CompletableFuture[0])).join();
        decisions.addAndGet(calls.size());
    }

    private CompletableFuture<?> bareCall(String key) {
        return bare.<Long>evalsha(bareSha, ScriptOutputType.INTEGER, new String[] {"bare:{" + key + "}"},
                "10", Long.toString(20 * RATE)).toCompletableFuture();
    }

    @Benchmark
    @OperationsPerInvocation(CALLERS)
    public void hotGb() {
        List<CompletableFuture<?>> calls = new ArrayList<>(CALLERS);
        for (int i = 0; i < CALLERS; i++) {
            calls.add(gb.decideAsync("hot", null).toCompletableFuture().thenApply(RateLimitDecision::allowed));
        }
        await(calls);
    }

    @Benchmark
    @OperationsPerInvocation(CALLERS)
    public void hotBareScript() {
        List<CompletableFuture<?>> calls = new ArrayList<>(CALLERS);
        for (int i = 0; i < CALLERS; i++) {
            calls.add(bareCall("hot"));
        }
        await(calls);
    }

    @Benchmark
    @OperationsPerInvocation(CALLERS)
    public void hotBucket4j() {
        List<CompletableFuture<?>> calls = new ArrayList<>(CALLERS);
        for (int i = 0; i < CALLERS; i++) {
            calls.add(b4jHot.tryConsume(1));
        }
        await(calls);
    }

    @Benchmark
    @OperationsPerInvocation(CALLERS)
    public void keysGb() {
        List<CompletableFuture<?>> calls = new ArrayList<>(CALLERS);
        for (int i = 0; i < CALLERS; i++) {
            calls.add(gb.decideAsync(nextKey(), null).toCompletableFuture());
        }
        await(calls);
    }

    @Benchmark
    @OperationsPerInvocation(CALLERS)
    public void keysBareScript() {
        List<CompletableFuture<?>> calls = new ArrayList<>(CALLERS);
        for (int i = 0; i < CALLERS; i++) {
            calls.add(bareCall(nextKey()));
        }
        await(calls);
    }

    @Benchmark
    @OperationsPerInvocation(CALLERS)
    public void keysBucket4j() {
        List<CompletableFuture<?>> calls = new ArrayList<>(CALLERS);
        for (int i = 0; i < CALLERS; i++) {
            cursor = (cursor + 1) % KEYS;
            calls.add(b4jKeys[cursor].tryConsume(1));
        }
        await(calls);
    }
}
