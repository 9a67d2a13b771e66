package io.generalbots.autoscale.instance;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.generalbots.autoscale.serving.InstanceSettings;
import io.generalbots.scaling.Checks;
import io.generalbots.scaling.health.HealthSettings;
import io.generalbots.scaling.HttpClients;

/**
 * The scaler's side of the instances' control endpoint (served by
 * {@link io.generalbots.autoscale.serving.BotInstance}): {@code POST /api/instance/drain} to drain
 * an instance, {@code GET /api/instance/drain} to learn whether it has drained. Every call is
 * bounded by a timeout; the token of {@code scale-control-token}, if any, goes in
 * {@code Authorization: Bearer}.
 *
 * <pre>{@code
 * InstanceControlClient control = InstanceControlClient.of(InstanceSettings.from(config),
 *         HealthSettings.from(config));                               // the token, health-timeout
 * InstanceManager manager = control.drainThrough(lxcManager);          // drain over HTTP
 * }</pre>
 */
public final class InstanceControlClient {

    /** The control endpoint's default path. */
    public static final String DEFAULT_PATH = "/api/instance";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String path;
    private final String token;
    private final Duration timeout;

    /**
     * Creates a client.
     *
     * @param http    the HTTP client
     * @param path    the control endpoint's path, e.g. {@code /api/instance}
     * @param token   the shared token, if any
     * @param timeout how long one call may take (connect and answer)
     */
    public InstanceControlClient(HttpClient http, String path, Optional<String> token, Duration timeout) {
        this.http = Objects.requireNonNull(http, "http");
        Checks.require(path != null && path.startsWith("/") && !path.endsWith("/"), "path",
                "a path starting with / and not ending with one", path);
        this.path = path;
        this.token = Objects.requireNonNull(token, "token").orElse(null);
        this.timeout = Checks.requirePositive("timeout", timeout);
    }

    /**
     * A client with the settings of {@code config.csv}: the token of {@code scale-control-token}
     * and, as the timeout of each call, {@code health-timeout}.
     *
     * @param instance the instance settings (the token)
     * @param health   the health settings (the timeout)
     * @return the client
     */
    public static InstanceControlClient of(InstanceSettings instance, HealthSettings health) {
        Duration timeout = health.timeout();
        return new InstanceControlClient(HttpClients.http11(timeout), DEFAULT_PATH,
                instance.controlToken(), timeout);
    }

    /**
     * A client without a token (for instances that trust direct loopback callers), with the given
     * timeout.
     *
     * @param timeout how long one call may take
     * @return the client
     */
    public static InstanceControlClient of(Duration timeout) {
        return new InstanceControlClient(HttpClients.http11(timeout), DEFAULT_PATH,
                Optional.empty(), timeout);
    }

    /**
     * How long one call may take.
     *
     * @return the timeout
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Tells an instance to drain ({@code POST PATH/drain}); returns once it answered.
     *
     * @param instance the instance
     * @throws InstanceException if it refuses (403: the tokens differ, or the scaler is not on
     *                           loopback and no token is configured), answers anything but 2xx, or
     *                           does not answer within the timeout
     */
    public void drain(Instance instance) {
        HttpResponse<String> r = call(instance, "POST");
        if (r.statusCode() == 403) {
            throw new InstanceException("control: " + instance.id() + " refused the drain (403): give the scaler and "
                    + "the instances the same scale-control-token (without one, only loopback callers may drain)");
        }
        if (r.statusCode() / 100 != 2) {
            throw new InstanceException("control: POST " + path + "/drain on " + instance.id() + " answered "
                    + r.statusCode());
        }
    }

    /**
     * Whether an instance has drained: its control endpoint says {@code drained}, or nothing
     * listens at its address any more (no request can be in flight there).
     *
     * @param instance the instance
     * @return true when it may be destroyed without cutting a request
     */
    public boolean isDrained(Instance instance) {
        HttpResponse<String> r;
        try {
            r = call(instance, "GET");
        } catch (InstanceException e) {
            return e.getCause() instanceof ConnectException;
        }
        if (r.statusCode() != 200) {
            return false;
        }
        try {
            JsonNode state = JSON.readTree(r.body()).path("state");
            return "drained".equals(state.asText());
        } catch (IOException e) {
            return false;
        }
    }

    private HttpResponse<String> call(Instance instance, String method) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + instance.address() + path + "/drain"))
                .timeout(timeout).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new InstanceException("control: " + instance.id() + " did not answer " + method + " " + path
                    + "/drain within " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new InstanceException("control: cannot reach " + instance.id() + " at " + instance.address() + ": "
                    + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InstanceException("control: interrupted calling " + instance.id(), e);
        }
    }

    /**
     * A manager that launches, lists and destroys through {@code delegate} but drains through
     * this client (e.g. a manager whose own drain is the seed's
     * {@code botserver drain} command).
     *
     * @param delegate the manager
     * @return the manager draining over HTTP
     */
    public InstanceManager drainThrough(InstanceManager delegate) {
        Objects.requireNonNull(delegate, "delegate");
        InstanceControlClient client = this;
        return new InstanceManager() {
            @Override
            public List<Instance> list() {
                return delegate.list();
            }

            @Override
            public Instance launch() {
                return delegate.launch();
            }

            @Override
            public void drain(Instance instance) {
                client.drain(instance);
            }

            @Override
            public boolean isDrained(Instance instance) {
                return client.isDrained(instance);
            }

            @Override
            public void destroy(Instance instance) {
                delegate.destroy(instance);
            }

            @Override
            public String toString() {
                return delegate + " (drained over HTTP)";
            }
        };
    }
}
