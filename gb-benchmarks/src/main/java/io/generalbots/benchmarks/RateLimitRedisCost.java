package io.generalbots.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.generalbots.ratelimit.RateLimitConfig;
import io.generalbots.ratelimit.RedisRateLimiter;
import io.generalbots.scaling.testing.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;

/**
 * Server-side cost of one decision: Redis's own {@code usec_per_call} of EVALSHA (from
 * {@code INFO commandstats}, reset between runs) for gb-ratelimit's script and the bare GCRA
 * script, each over 50,000 decisions from 16 async callers on one key and on 10,000 keys. Unlike
 * throughput, this does not depend on how much CPU the shared machine leaves the client.
 *
 * <p>Run: {@code java -cp gb-benchmarks/target/benchmarks.jar io.generalbots.benchmarks.RateLimitRedisCost}
 */
public final class RateLimitRedisCost {

    private RateLimitRedisCost() {
    }

    /**
     * Prints the costs.
     *
     * @param args unused
     * @throws Exception if Redis fails
     */
    public static void main(String[] args) throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            RedisClient client = RedisClient.create(redis.uri());
            StatefulRedisConnection<String, String> connection = client.connect();
            RedisAsyncCommands<String, String> bare = connection.async();
            String sha = bare.scriptLoad(RateLimitRedisBenchmark.BARE_GCRA).toCompletableFuture().join();
            RedisRateLimiter gb = RedisRateLimiter.custom(RateLimitConfig.custom().requests(RateLimitRedisBenchmark.RATE)
                    .window(Duration.ofSeconds(1)).burst(RateLimitRedisBenchmark.RATE).build())
                    .commands(client.connect().async()).timeout(Duration.ofSeconds(5)).build();
            gb.decide("warm", null);
            for (boolean hot : new boolean[] {true, false}) {
                for (int round = 0; round < 2; round++) {
                    String what = hot ? "hot key" : "10,000 keys";
                    double g = cost(redis, () -> run(i -> gb.decideAsync(key(hot, i), null).toCompletableFuture()));
                    double b = cost(redis, () -> run(i -> bare.<Long>evalsha(sha, ScriptOutputType.INTEGER,
                            new String[] {"bare:{" + key(hot, i) + "}"}, "10", Long.toString(20 * RateLimitRedisBenchmark.RATE))
                            .toCompletableFuture()));
                    System.out.printf("%s: gb-ratelimit %.2f µs/call, bare GCRA %.2f µs/call, bare/gb %.2f%n",
                            what, g, b, b / g);
                }
            }
            gb.close();
            client.shutdown();
        }
    }

    static String key(boolean hot, int i) {
        return hot ? "hot" : "client-" + (i % 10_000);
    }

    interface Call {
        CompletableFuture<?> start(int i);
    }

    static void run(Call call) {
        for (int i = 0; i < 50_000; i += 16) {
            List<CompletableFuture<?>> batch = new ArrayList<>(16);
            for (int j = 0; j < 16; j++) {
                batch.add(call.start(i + j));
            }
            CompletableFuture.allOf(batch.toArray(new CompletableFuture[0])).join();
        }
    }

    static double cost(RedisServer redis, Runnable work) throws Exception {
        redis.command("CONFIG", "RESETSTAT");
        work.run();
        String stats = RedisServer.command(redis.port(), "INFO", "commandstats");
        for (String line : stats.split("\r?\n")) {
            if (line.startsWith("cmdstat_evalsha:")) {
                for (String part : line.substring(line.indexOf(':') + 1).split(",")) {
                    if (part.startsWith("usec_per_call=")) {
                        return Double.parseDouble(part.substring("usec_per_call=".length()));
                    }
                }
            }
        }
        throw new IllegalStateException("no evalsha stats in " + stats);
    }
}
