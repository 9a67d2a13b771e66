package io.generalbots.failover.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
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
}
