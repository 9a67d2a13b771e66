package io.generalbots.scaling.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A botserver stand-in run as a real OS process by the local-process tests and the demo's auto-scaling tour:
 * {@code TinyBotServer PORT CAPACITY}. {@code GET /api/work} is one request;
 * {@code GET /api/health} reports the seed's health JSON with {@code cpu} = requests served since
 * the previous health read × 100 / CAPACITY (so load is counted in requests, independent of
 * timing) and {@code inflight}; {@code POST /api/drain} turns it {@code draining} (503);
 * {@code GET /api/ping} answers without touching the counters.
 */
public final class TinyBotServer {

    private TinyBotServer() {
    }

    /**
     * Runs the server until killed.
     *
     * @param args PORT CAPACITY
     * @throws IOException if the port is taken
     */
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        int capacity = Integer.parseInt(args[1]);
        AtomicInteger served = new AtomicInteger();
        AtomicInteger inflight = new AtomicInteger();
        AtomicBoolean draining = new AtomicBoolean();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.createContext("/api/work", ex -> {
            inflight.incrementAndGet();
            try {
                served.incrementAndGet();
                send(ex, 200, "ok");
            } finally {
                inflight.decrementAndGet();
            }
        });
        server.createContext("/api/ping", ex -> send(ex, 200, "pong"));
        server.createContext("/api/drain", ex -> {
            draining.set(true);
            send(ex, 200, "draining");
        });
        server.createContext("/api/health", ex -> {
            double cpu = Math.min(100, served.getAndSet(0) * 100.0 / capacity);
            boolean d = draining.get();
            send(ex, d ? 503 : 200, "{\"status\":\"" + (d ? "draining" : "healthy") + "\",\"metrics\":{\"cpu\":" + cpu
                    + ",\"inflight\":" + inflight.get() + "}}");
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    private static void send(HttpExchange ex, int code, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(code, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }
}
