package io.generalbots.balance.caddy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

import io.generalbots.scaling.config.HostAndPort;

/**
 * A small botserver stand-in on a loopback port: answers every path with its name, counts the
 * requests that are not health checks, and serves {@code /api/health} with a settable status.
 */
final class TestBackend implements AutoCloseable {

    final String name;
    final int port;
    final AtomicInteger requests = new AtomicInteger();
    volatile int healthStatus = 200;
    private HttpServer server;
    private ExecutorService executor;

    TestBackend(String name, int port) {
        this.name = name;
        this.port = port;
    }

    HostAndPort address() {
        return new HostAndPort("127.0.0.1", port);
    }

    TestBackend start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start backend " + name + " on " + port, e);
        }
        server.createContext("/", exchange -> {
            int status = 200;
            if (exchange.getRequestURI().getPath().equals("/api/health")) {
                status = healthStatus;
            } else {
                requests.incrementAndGet();
            }
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("X-Backend", name);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        executor = Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        server.start();
        return this;
    }

    /** Stops at once, as a crashed instance (connections refused from now on). */
    boolean isRunning() {
        return server != null;
    }

    void kill() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    @Override
    public void close() {
        kill();
    }
}
