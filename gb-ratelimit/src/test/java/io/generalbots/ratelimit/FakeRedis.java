package io.generalbots.ratelimit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.FlushMode;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;

/**
 * The scripting commands of a Redis that answers only when the test says so: {@code SCRIPT LOAD}
 * and the warm-up probe are answered at once (or fail, see {@link #failWarmUp}); every other
 * script call waits in {@link #next()} until the test completes it, e.g. with {@link #reply}.
 */
final class FakeRedis implements RedisScriptingAsyncCommands<String, String> {

    /** A reply the test completes. */
    static final class Reply<T> extends CompletableFuture<T> implements RedisFuture<T> {
        @Override
        public String getError() {
            return null;
        }

        @Override
        public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
            try {
                get(timeout, unit);
            } catch (ExecutionException e) {
                return true;
            } catch (TimeoutException e) {
                return false;
            }
            return true;
        }
    }

    /** One command as sent. */
    record Sent(String command, List<String> keys, List<String> args, Reply<Object> reply) {
    }

    final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final Deque<Sent> waiting = new ArrayDeque<>();
    volatile boolean failWarmUp;

    /** The script's reply: {allowed, global diff, endpoint diff}. */
    static List<Object> reply(boolean allowed, long globalDiff, long endDiff) {
        return List.of(allowed ? 1L : 0L, globalDiff, endDiff);
    }

    /** The oldest decision call without a reply yet. */
    synchronized Sent next() {
        Sent s = waiting.poll();
        if (s == null) {
            throw new AssertionError("no call is waiting for a reply; sent: " + sent);
        }
        return s;
    }

    synchronized int waitingCount() {
        return waiting.size();
    }

    List<String> commands() {
        return sent.stream().map(Sent::command).toList();
    }

    @SuppressWarnings("unchecked")
    private synchronized <T> RedisFuture<T> record(String command, String[] keys, String[] args, boolean answerNow,
                                                   Object answer) {
        Reply<Object> reply = new Reply<>();
        Sent s = new Sent(command, List.of(keys), List.of(args), reply);
        sent.add(s);
        if (!answerNow) {
            waiting.add(s);
        } else if (failWarmUp) {
            reply.completeExceptionally(new io.lettuce.core.RedisException("ERR the fake refuses the warm-up"));
        } else {
            reply.complete(answer);
        }
        return (RedisFuture<T>) reply;
    }

    @Override
    public RedisFuture<String> scriptLoad(String script) {
        return record("SCRIPT LOAD", new String[0], new String[0], true, digest(script));
    }

    @Override
    public <T> RedisFuture<T> evalsha(String digest, ScriptOutputType type, String[] keys, String... values) {
        boolean probe = keys.length == 1 && keys[0].contains("{gb-warmup}");
        return record("EVALSHA", keys, values, probe, reply(false, 1, 0));
    }

    @Override
    public <T> RedisFuture<T> eval(String script, ScriptOutputType type, String[] keys, String... values) {
        return record("EVAL", keys, values, false, null);
    }

    @Override
    public String digest(String script) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String digest(byte[] script) {
        return digest(new String(script, StandardCharsets.UTF_8));
    }

    @Override
    public <T> RedisFuture<T> eval(String script, ScriptOutputType type, String... keys) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T> RedisFuture<T> eval(byte[] script, ScriptOutputType type, String... keys) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T> RedisFuture<T> eval(byte[] script, ScriptOutputType type, String[] keys, String... values) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T> RedisFuture<T> evalReadOnly(String script, ScriptOutputType type, String[] keys, String... values) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T> RedisFuture<T> evalReadOnly(byte[] script, ScriptOutputType type, String[] keys, String... values) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T> RedisFuture<T> evalsha(String digest, ScriptOutputType type, String... keys) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T> RedisFuture<T> evalshaReadOnly(String digest, ScriptOutputType type, String[] keys, String... values) {
        throw new UnsupportedOperationException();
    }

    @Override
    public RedisFuture<List<Boolean>> scriptExists(String... digests) {
        throw new UnsupportedOperationException();
    }

    @Override
    public RedisFuture<String> scriptFlush() {
        throw new UnsupportedOperationException();
    }

    @Override
    public RedisFuture<String> scriptFlush(FlushMode flushMode) {
        throw new UnsupportedOperationException();
    }

    @Override
    public RedisFuture<String> scriptKill() {
        throw new UnsupportedOperationException();
    }

    @Override
    public RedisFuture<String> scriptLoad(byte[] script) {
        throw new UnsupportedOperationException();
    }
}
