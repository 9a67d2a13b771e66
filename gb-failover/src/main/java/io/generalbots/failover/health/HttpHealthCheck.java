package io.generalbots.failover.health;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import io.generalbots.scaling.Checks;
import io.generalbots.scaling.health.HealthCheck;
import io.generalbots.scaling.health.HealthCheckResult;
import io.generalbots.scaling.HttpClients;

/**
 * Checks an HTTP endpoint (e.g. the LLM server's health URL): a GET answered 2xx is {@code ok},
 * any other status is {@code down} (the status in the details), no answer throws
 * ({@code error}). It speaks HTTP/1.1 ({@link HttpClients#http11}): some HTTP/1.1 servers never
 * answer the JDK client's default request to upgrade to HTTP/2.
 */
public final class HttpHealthCheck implements HealthCheck {

    private final URI uri;
    private final Duration timeout;
    private final HttpClient client;

    /**
     * A check of a URL.
     *
     * @param uri     the URL
     * @param timeout connect and request timeout
     */
    public HttpHealthCheck(URI uri, Duration timeout) {
        this.uri = Objects.requireNonNull(uri, "uri");
        Checks.require("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()), "uri",
                "an http or https URL", uri);
        this.timeout = Checks.requirePositive("timeout", timeout);
        this.client = HttpClients.http11(timeout);
    }

    @Override
    public HealthCheckResult check() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
        int code = response.statusCode();
        return code >= 200 && code < 300 ? HealthCheckResult.up()
                : new HealthCheckResult(HealthCheckResult.Status.DOWN, "down", Map.of("status", code));
    }
}
