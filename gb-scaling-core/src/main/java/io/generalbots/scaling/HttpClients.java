package io.generalbots.scaling;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * The JDK {@link HttpClient} every component of the library builds for itself (health checks, the
 * instances' control and health endpoints, Caddy's admin API): HTTP/1.1, no redirects. Not HTTP/2:
 * the JDK client's default asks every new cleartext connection to upgrade ({@code Upgrade: h2c}),
 * and some HTTP/1.1 servers never answer such a request, so a check against one would time out
 * instead of reading its status. A host that wants another client passes its own where a component
 * takes one.
 * <pre>{@code
 * HttpClient http = HttpClients.http11(Duration.ofSeconds(2));
 * }</pre>
 */
public final class HttpClients {

    private HttpClients() {
    }

    /**
     * An HTTP/1.1 client that does not follow redirects.
     *
     * @param connectTimeout how long a connection may take to open
     * @return the client
     * @throws IllegalArgumentException if the timeout is not positive: {@code connectTimeout must be
     *         positive, but was PT0S}
     */
    public static HttpClient http11(Duration connectTimeout) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Checks.requirePositive("connectTimeout", connectTimeout))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }
}
