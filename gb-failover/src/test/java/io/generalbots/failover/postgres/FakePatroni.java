package io.generalbots.failover.postgres;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

import io.generalbots.scaling.config.HostAndPort;

/**
 * A stand-in for one node's Patroni REST API in unit tests: answers each path with a status and
 * body the test sets. The real Patroni is exercised by {@link PatroniFailoverIT}.
 */
final class FakePatroni implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, Integer> status = new ConcurrentHashMap<>();
    private final Map<String, String> body = new ConcurrentHashMap<>();
    final AtomicInteger requests = new AtomicInteger();

    FakePatroni() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            String key = exchange.getRequestURI().toString();
            int code = status.getOrDefault(key, 503);
            byte[] bytes = body.getOrDefault(key, "{}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(code, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    FakePatroni answer(String path, int code) {
        status.put(path, code);
        return this;
    }

    FakePatroni answer(String path, int code, String json) {
        status.put(path, code);
        body.put(path, json);
        return this;
    }

    /** Plays the leader (true) or a streaming replica (false). */
    FakePatroni role(boolean leader) {
        answer("/primary", leader ? 200 : 503);
        answer("/replica", leader ? 503 : 200);
        return this;
    }

    HostAndPort address() {
        return new HostAndPort("127.0.0.1", server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
