package io.generalbots.failover.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.generalbots.scaling.health.HealthCheckResult;
import io.generalbots.scaling.testing.FreePorts;

class HttpHealthCheckTest {

    @Test
    void twoHundredIsOkOtherStatusesAreDownAndNoAnswerThrows() throws Exception {
        AtomicInteger status = new AtomicInteger(200);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/health", ex -> {
            ex.sendResponseHeaders(status.get(), -1);
            ex.close();
        });
        server.start();
        try {
            HttpHealthCheck check = new HttpHealthCheck(
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/health"), Duration.ofSeconds(5));
            assertThat(check.check()).isEqualTo(HealthCheckResult.up());
            status.set(503);
            HealthCheckResult down = check.check();
            assertThat(down.word()).isEqualTo("down");
            assertThat(down.details()).containsEntry("status", 503);
        } finally {
            server.stop(0);
        }
        HttpHealthCheck closed = new HttpHealthCheck(URI.create("http://127.0.0.1:" + FreePorts.find() + "/"),
                Duration.ofSeconds(2));
        assertThatThrownBy(closed::check).isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> new HttpHealthCheck(URI.create("ftp://x/"), Duration.ofSeconds(1)))
                .hasMessage("uri must be an http or https URL, but was ftp://x/");
    }

    @Test
    void speaksPlainHttp11SoAServerThatStallsOnAnH2cUpgradeStillAnswers() throws Exception {
        // an HTTP/1.1 server that never answers a request asking to upgrade to h2c, as some do
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket socket = server.accept()) {
                        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                                StandardCharsets.ISO_8859_1));
                        boolean upgrade = false;
                        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                            upgrade |= line.toLowerCase(java.util.Locale.ROOT).startsWith("upgrade:");
                        }
                        if (upgrade) {
                            Thread.sleep(10_000);
                            continue;
                        }
                        OutputStream out = socket.getOutputStream();
                        out.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                                .getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                    } catch (Exception e) {
                        return;
                    }
                }
            }, "stalls-on-upgrade");
            t.setDaemon(true);
            t.start();
            HttpHealthCheck check = new HttpHealthCheck(
                    URI.create("http://127.0.0.1:" + server.getLocalPort() + "/health"), Duration.ofSeconds(3));
            assertThat(check.check()).isEqualTo(HealthCheckResult.up());
        }
    }
}
