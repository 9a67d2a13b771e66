package io.generalbots.balance.caddy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import io.generalbots.scaling.Checks;
import io.generalbots.balance.ProxySettings;
import io.generalbots.scaling.cluster.UpstreamsListener;
import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.scaling.HttpClients;

/**
 * Keeps a running Caddy's upstreams in step with the instances, through its admin API, without a
 * restart or a reload of the Caddyfile: {@link #setUpstreams(List)} reads the running
 * configuration ({@code GET /config/}), finds every {@code reverse_proxy} handler, replaces their
 * upstream lists and sends them back in one change ({@code PATCH} of the deepest config node that
 * holds them all, or of {@code …/handle/N/upstreams} when there is one handler). Caddy applies the
 * change gracefully: in-flight requests finish, listeners stay open. Upstreams keep their health
 * state across the change (Caddy keys it by address).
 *
 * <p>Caddy 2.6 (Debian's 2.6.2, and later versions until caddyserver/caddy pull request 7625) has a
 * race here: every config change stops the old active health checkers, a health check in flight at
 * that moment fails with "context canceled" and marks its upstream unhealthy, and a request still
 * being handled by the old configuration then gets {@code 503} ("no upstreams available") at once.
 * Hence one config change per upstream change (not one per handler), and, where the scaler keeps
 * the upstreams in step and drains instances before removing them, no active health checks in the
 * proxy (passive checks and {@code lb_try_duration} still route around an instance that fails).
 *
 * <p>This is what the seed's {@code update_load_balancer} meant. It is the auto-scaler's
 * {@link UpstreamsListener} ({@code AutoScaler.custom(…).upstreamsListener(sync)}), called after a
 * scale-up and before a drain; it is also usable alone.
 *
 * <p>Every {@code reverse_proxy} of the configuration is updated, which is right for the Caddyfile
 * that {@link Caddyfile} renders (all its routes proxy to the same instances); give a path filter
 * with {@link #forHandlersUnder(String)} when the same Caddy proxies other things too.
 *
 * <p>Thread-safe: calls to {@link #setUpstreams} on one sync run one at a time, so two changes
 * never interleave their PATCHes.
 */
public final class CaddyUpstreamSync implements UpstreamsListener {

    private static final Logger LOG = LoggerFactory.getLogger(CaddyUpstreamSync.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HostAndPort admin;
    private final URI base;
    private final HttpClient http;
    private final Duration timeout;
    private final String pathPrefix;
    /** Held over the admin calls (one config change at a time): a lock, not the monitor, since they do network I/O. */
    private final ReentrantLock lock = new ReentrantLock();

    private CaddyUpstreamSync(HostAndPort admin, HttpClient http, Duration timeout, String pathPrefix) {
        this.admin = admin;
        this.base = admin == null ? null : URI.create("http://" + admin);
        this.http = http;
        this.timeout = timeout;
        this.pathPrefix = pathPrefix;
    }

    /**
     * A sync for the admin API at the given loopback address (timeout 10 s per request).
     *
     * @param admin the admin address, e.g. {@code localhost:2019}
     * @return the sync
     */
    public static CaddyUpstreamSync of(HostAndPort admin) {
        Objects.requireNonNull(admin, "admin");
        Checks.require(ProxySettings.isLoopback(admin.host()), "admin", "a loopback address (localhost, 127.0.0.1, [::1]; "
                + "for another one see ofRemote)", admin);
        return new CaddyUpstreamSync(admin, HttpClients.http11(Duration.ofSeconds(5)),
                Duration.ofSeconds(10), "");
    }

    /**
     * A sync for an admin API that is not on loopback, e.g. Caddy in its own container reached on a
     * private bridge, as in the seed. Caddy's admin API has no authentication: whoever reaches the
     * address can reconfigure the proxy, so use this only for an address that no untrusted host
     * (nor any botserver container) can reach. Prefer bringing the admin API to loopback with an
     * LXD proxy device and {@link #of(HostAndPort)}; see the auto-scaling README.
     *
     * @param admin the admin address, e.g. {@code 10.0.3.2:2019}
     * @return the sync
     */
    public static CaddyUpstreamSync ofRemote(HostAndPort admin) {
        Objects.requireNonNull(admin, "admin");
        if (!ProxySettings.isLoopback(admin.host())) {
            LOG.warn("caddy {}: the admin API is not on loopback; it has no authentication, so only trusted hosts "
                    + "may reach it", admin);
        }
        return new CaddyUpstreamSync(admin, HttpClients.http11(Duration.ofSeconds(5)),
                Duration.ofSeconds(10), "");
    }

    /**
     * A sync for the proxy of a {@code config.csv}; when {@code scale-proxy-admin} is {@code off},
     * the sync exists but every {@link #setUpstreams} refuses with an explanation. An admin address
     * that is not loopback is used only with {@code scale-proxy-admin-remote,true}.
     *
     * @param proxy the proxy settings
     * @return the sync
     */
    public static CaddyUpstreamSync of(ProxySettings proxy) {
        return proxy.adminAddress().map(a -> proxy.adminRemote() ? ofRemote(a) : of(a))
                .orElseGet(() -> new CaddyUpstreamSync(null, null, Duration.ofSeconds(10), ""));
    }

    /**
     * The same sync, limited to {@code reverse_proxy} handlers whose config path starts with the
     * given one, e.g. {@code apps/http/servers/srv0}.
     *
     * @param configPath a path under {@code /config/}, without leading slash
     * @return a new sync
     */
    public CaddyUpstreamSync forHandlersUnder(String configPath) {
        Objects.requireNonNull(configPath, "configPath");
        return new CaddyUpstreamSync(admin, http, timeout, configPath);
    }

    /**
     * The same sync with another timeout per admin request.
     *
     * @param timeout positive
     * @return a new sync
     */
    public CaddyUpstreamSync withTimeout(Duration timeout) {
        return new CaddyUpstreamSync(admin, http, Checks.requirePositive("timeout", timeout), pathPrefix);
    }

    /**
     * The auto-scaler's callback: {@link #setUpstreams(List)}.
     *
     * @param upstreams every instance that should receive requests
     * @throws CaddyAdminException if the proxy could not be updated (the scaler then postpones a drain)
     */
    @Override
    public void upstreamsChanged(List<HostAndPort> upstreams) {
        setUpstreams(upstreams);
    }

    /**
     * Replaces the upstreams of every managed {@code reverse_proxy} handler of the running Caddy.
     *
     * @param upstreams the instances, at least one, in order
     * @return the config paths of the handlers changed
     * @throws CaddyAdminException if the admin API is off or unreachable, Caddy refuses the change,
     *                             or its configuration has no {@code reverse_proxy}
     */
    public List<String> setUpstreams(List<HostAndPort> upstreams) {
        lock.lock();
        try {
            Objects.requireNonNull(upstreams, "upstreams");
            Checks.require(!upstreams.isEmpty(), "upstreams", "at least one HOST:PORT (an empty list would answer 502 "
                    + "to every request)", upstreams);
            JsonNode config = runningConfig();
            List<String> handlers = handlers(config);
            ArrayNode body = JSON.createArrayNode();
            for (HostAndPort u : upstreams) {
                body.addObject().put("dial", u.toString());
            }
            if (handlers.size() == 1) {
                send("PATCH", "/config/" + handlers.get(0) + "/upstreams", body.toString());
            } else {
                // one change for all handlers: every PATCH is a reload of Caddy's config, and each reload
                // is a chance for Caddy 2.6's health-check race (see the class comment); also, no request
                // ever sees some routes with the new upstreams and others with the old ones
                String common = commonAncestor(handlers);
                JsonNode node = common.isEmpty() ? config : config.at("/" + common);
                for (String h : handlers) {
                    String rel = common.isEmpty() ? "/" + h : h.substring(common.length());
                    ((com.fasterxml.jackson.databind.node.ObjectNode) node.at(rel)).set("upstreams", body.deepCopy());
                }
                send("PATCH", "/config/" + common, node.toString());
            }
            LOG.info("caddy {}: upstreams of {} reverse_proxy handler(s) set to {} in one config change", admin,
                    handlers.size(), upstreams);
            return handlers;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The deepest config path that holds all the given ones ({@code a/b/1/c} and {@code a/b/2/c}
     * give {@code a/b}), without a trailing slash; empty for the root.
     */
    static String commonAncestor(List<String> paths) {
        String[] first = paths.get(0).split("/");
        int n = first.length - 1; // a handler itself is never the common node of two handlers
        for (String p : paths) {
            String[] parts = p.split("/");
            int i = 0;
            while (i < n && i < parts.length && parts[i].equals(first[i])) {
                i++;
            }
            n = i;
        }
        return String.join("/", java.util.Arrays.asList(first).subList(0, n));
    }

    /**
     * The config paths of the managed {@code reverse_proxy} handlers of the running Caddy.
     *
     * @return the paths, e.g. {@code apps/http/servers/srv0/routes/0/handle/0/routes/1/handle/0/routes/0/handle/0}
     * @throws CaddyAdminException if the admin API is off or unreachable, or there is none
     */
    public List<String> reverseProxyHandlers() {
        return handlers(runningConfig());
    }

    private JsonNode runningConfig() {
        try {
            return JSON.readTree(send("GET", "/config/", null));
        } catch (IOException e) {
            throw new CaddyAdminException("caddy " + admin + ": the admin API answered something that is not JSON", e);
        }
    }

    private List<String> handlers(JsonNode config) {
        List<String> paths = new ArrayList<>();
        collect(config, "", paths);
        paths.removeIf(p -> !p.startsWith(pathPrefix));
        if (paths.isEmpty()) {
            throw new CaddyAdminException("caddy " + admin + ": the running configuration has no reverse_proxy handler"
                    + (pathPrefix.isEmpty() ? "" : " under " + pathPrefix) + " whose upstreams could be set", null);
        }
        return paths;
    }

    /**
     * Caddy's view of the upstreams ({@code GET /reverse_proxy/upstreams}): address to active
     * request count and failure count.
     *
     * @return the JSON array as Caddy sends it
     */
    public JsonNode upstreamStatus() {
        try {
            return JSON.readTree(send("GET", "/reverse_proxy/upstreams", null));
        } catch (IOException e) {
            throw new CaddyAdminException("caddy " + admin + ": bad answer from /reverse_proxy/upstreams", e);
        }
    }

    private static void collect(JsonNode node, String path, List<String> out) {
        if (node.isObject()) {
            if ("reverse_proxy".equals(node.path("handler").asText())) {
                out.add(path);
            }
            for (String name : fieldNames(node)) {
                collect(node.get(name), join(path, name), out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), join(path, String.valueOf(i)), out);
            }
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String join(String path, String segment) {
        return path.isEmpty() ? segment : path + "/" + segment;
    }

    private String send(String method, String path, String body) {
        if (admin == null) {
            throw new CaddyAdminException("scale-proxy-admin is off: Caddy's admin API is disabled, so the proxy's "
                    + "upstreams cannot be changed live (the seed's \"admin off\" also makes \"caddy reload\" fail); "
                    + "set scale-proxy-admin to a loopback address such as localhost:2019", null);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new CaddyAdminException("caddy admin API at " + admin + " is unreachable (" + e.getClass().getSimpleName()
                    + "): is Caddy running, with its admin endpoint on that address (not \"admin off\")?", e);
        } catch (HttpTimeoutException e) {
            throw new CaddyAdminException("caddy admin API at " + admin + " did not answer " + method + " " + path
                    + " within " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new CaddyAdminException("caddy admin API at " + admin + " failed on " + method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaddyAdminException("interrupted while calling the caddy admin API at " + admin, e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new CaddyAdminException("caddy admin API at " + admin + " refused " + method + " " + path + ": "
                    + response.statusCode() + " " + response.body().trim(), null);
        }
        return response.body();
    }

    @Override
    public String toString() {
        return "CaddyUpstreamSync{" + (admin == null ? "admin off" : admin) + "}";
    }
}
