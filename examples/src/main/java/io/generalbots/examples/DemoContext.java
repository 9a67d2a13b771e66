package io.generalbots.examples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpHandler;

import io.generalbots.autoscale.serving.BotInstance;
import io.generalbots.autoscale.serving.InstanceConfig;
import io.generalbots.autoscale.serving.InstanceSettings;
import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.health.HealthCheck;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * What a {@link DemoFeature} may change before the server starts: the routes (path to handler),
 * the filters in front of every {@code /api/*} route, and the chat service behind {@code /api/chat};
 * and the meter registry every feature binds its components' meters to (served at {@code /metrics}).
 * It also holds the demo's {@link BotInstance} (the instance side of auto-scaling, from
 * {@code scale-drain-seconds} and {@code scale-control-token}), which meters and drains every
 * {@code /api/*} route but the health and control endpoints.
 */
public final class DemoContext {

    private final BotConfig config;
    private final PrintStream out;
    private final Map<String, HttpHandler> routes = new LinkedHashMap<>();
    private final List<Filter> apiFilters = new ArrayList<>();
    private final Map<String, HealthCheck> healthChecks = new LinkedHashMap<>();
    private final BotInstance instance;
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private ChatService chat;
    private int port;

    DemoContext(BotConfig config, PrintStream out, ChatService chat) {
        this.config = config;
        this.out = out;
        this.chat = chat;
        this.instance = BotInstance.of(InstanceConfig.from(InstanceSettings.from(config)).name("demo").build());
    }

    /**
     * The instance side of this botserver: requests served, in flight, the drain.
     *
     * @return the instance
     */
    public BotInstance instance() {
        return instance;
    }

    /**
     * The bot's configuration.
     *
     * @return the config
     */
    public BotConfig config() {
        return config;
    }

    /**
     * The registry every feature binds its meters to, e.g.
     * {@code RateLimitMetrics.of(limiter).bindTo(demo.meters())}; served at {@code /metrics}.
     *
     * @return the registry
     */
    public PrometheusMeterRegistry meters() {
        return meters;
    }

    /**
     * Where the demo prints.
     *
     * @return the output
     */
    public PrintStream out() {
        return out;
    }

    /**
     * Sets (or replaces) the handler of a path.
     *
     * @param path    the path, e.g. {@code /api/health}
     * @param handler the handler
     */
    public void route(String path, HttpHandler handler) {
        routes.put(Objects.requireNonNull(path), Objects.requireNonNull(handler));
    }

    /**
     * The handler of a path, if any.
     *
     * @param path the path
     * @return the handler, or null
     */
    public HttpHandler handler(String path) {
        return routes.get(path);
    }

    /**
     * Adds a filter in front of every {@code /api/*} route (e.g. the rate limiter).
     *
     * @param filter the filter
     */
    public void addApiFilter(Filter filter) {
        apiFilters.add(Objects.requireNonNull(filter));
    }

    /**
     * Registers a dependency check for the health report (served by the failover feature, which
     * is installed after the features that register checks).
     *
     * @param name  the name in the report's {@code checks} object, e.g. {@code vectordb}
     * @param check the check
     */
    public void addHealthCheck(String name, HealthCheck check) {
        healthChecks.put(Objects.requireNonNull(name), Objects.requireNonNull(check));
    }

    /**
     * The checks registered so far, by name.
     *
     * @return the checks
     */
    public Map<String, HealthCheck> healthChecks() {
        return java.util.Collections.unmodifiableMap(healthChecks);
    }

    /**
     * Decorates the chat service behind {@code /api/chat} (e.g. with shard routing or a breaker).
     *
     * @param decorator takes the current service and returns the new one
     */
    public void decorateChat(UnaryOperator<ChatService> decorator) {
        chat = Objects.requireNonNull(decorator.apply(chat));
    }

    /**
     * The chat service as decorated so far.
     *
     * @return the service
     */
    public ChatService chat() {
        return chat;
    }

    /**
     * The port the server listens on (known once it started; 0 before).
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    void port(int port) {
        this.port = port;
    }

    Map<String, HttpHandler> routes() {
        return routes;
    }

    List<Filter> apiFilters() {
        return apiFilters;
    }

    /** The service that answers chat messages; the demo's own just echoes. */
    @FunctionalInterface
    public interface ChatService {

        /**
         * Answers a message.
         *
         * @param user    the user id (from the {@code X-User} header, or {@code anonymous})
         * @param message the message
         * @return the reply
         * @throws Exception when the answer cannot be produced
         */
        String reply(String user, String message) throws Exception;
    }
}
