package io.generalbots.balance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

import io.generalbots.scaling.config.HostAndPort;

/**
 * One active health check of one upstream: answers the HTTP status (or fails). Asynchronous, so
 * that a slow upstream holds no thread and no pick ever waits for a check.
 */
@FunctionalInterface
public interface HealthProbe {

    /**
     * Checks an upstream.
     *
     * @param upstream the upstream
     * @param uri      the path to check ({@code health_uri})
     * @param timeout  how long the check may take ({@code health_timeout})
     * @return the HTTP status, or a failed stage
     */
    CompletionStage<Integer> probe(HostAndPort upstream, String uri, Duration timeout);

    /**
     * A plain-HTTP/1.1 {@code GET http://HOST:PORT/URI} with the JDK's client (no HTTP/2 upgrade,
     * as Caddy's own checks). The client's first request loads classes and can take a few hundred
     * milliseconds on a busy machine: keep {@code health_timeout} well above that, or require
     * {@code health_fails} &gt; 1.
     *
     * @return the probe
     */
    static HealthProbe http() {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        return (upstream, uri, timeout) -> client.sendAsync(
                HttpRequest.newBuilder(URI.create("http://" + upstream + uri)).timeout(timeout).GET().build(),
                HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode);
    }
}
