package io.generalbots.failover.breaker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.event.EventListener;
import io.generalbots.scaling.event.EventPublisher;
import io.generalbots.scaling.health.HealthCheck;
import io.generalbots.scaling.health.HealthCheckResult;

/**
 * The named circuit breakers of an application, one per dependency ({@code database},
 * {@code cache}, {@code vectordb}, {@code llm}, or any name), all with one {@link BreakerConfig}
 * unless a breaker is created with its own.
 *
 * <pre>{@code
 * BreakerRegistry breakers = BreakerRegistry.of(CircuitBreakerSettings.from(BotConfig.load(path)));
 * String answer = breakers.breaker("llm").call(() -> llm.complete(prompt));
 * }</pre>
 *
 * <p>Every state change is logged ({@code circuit breaker 'llm' CLOSED -> OPEN}) at WARN when a
 * breaker opens and INFO otherwise, and published to the listeners as a
 * {@link BreakerEvent.StateChanged}; each new breaker is published as a
 * {@link BreakerEvent.BreakerCreated}. A listener that throws is logged and never breaks a call
 * ({@link EventPublisher}). An open or half-open breaker
 * reports its dependency as degraded through {@link #healthCheck(String)}, never as down: a
 * breaker protects the instance, it does not make it unready. Thread-safe.
 */
public final class BreakerRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(BreakerRegistry.class);

    private final BreakerConfig defaultConfig;
    private final Map<String, Breaker> breakers = new ConcurrentHashMap<>();
    private final EventPublisher<BreakerEvent> events = EventPublisher.of("circuit breakers");

    private BreakerRegistry(BreakerConfig defaultConfig) {
        this.defaultConfig = Objects.requireNonNull(defaultConfig, "defaultConfig");
        if (!defaultConfig.enabled()) {
            LOG.info("circuit breakers are disabled (circuit-breaker-enabled,false): every call goes straight through");
        }
    }

    /**
     * A registry whose breakers use the given configuration.
     *
     * @param config the configuration
     * @return the registry
     */
    public static BreakerRegistry of(BreakerConfig config) {
        return new BreakerRegistry(config);
    }

    /**
     * A registry with the seed's defaults.
     *
     * @return the registry
     */
    public static BreakerRegistry ofDefaults() {
        return of(BreakerConfig.ofDefaults());
    }

    /**
     * A registry configured by a file's {@code circuit-breaker-*} keys:
     * {@code BreakerRegistry.of(CircuitBreakerSettings.from(config))}.
     *
     * @param settings the settings
     * @return the registry
     */
    public static BreakerRegistry of(CircuitBreakerSettings settings) {
        return of(BreakerConfig.from(settings).build());
    }

    /**
     * The configuration of breakers created without their own.
     *
     * @return the configuration
     */
    public BreakerConfig defaultConfig() {
        return defaultConfig;
    }

    /**
     * The breaker of a dependency, created with the default configuration on first use.
     *
     * @param name the dependency's name
     * @return the breaker
     */
    public Breaker breaker(String name) {
        return breaker(name, defaultConfig);
    }

    /**
     * The breaker of a dependency, created with the given configuration on first use (an existing
     * breaker keeps its configuration).
     *
     * @param name   the dependency's name, non-blank
     * @param config the configuration for a new breaker
     * @return the breaker
     */
    public Breaker breaker(String name, BreakerConfig config) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("breaker name must be non-blank, but was \"" + name + "\"");
        }
        Breaker existing = breakers.get(name);
        if (existing != null) {
            return existing;
        }
        Breaker[] created = new Breaker[1];
        Breaker b = breakers.computeIfAbsent(name, n -> created[0] = new Breaker(n, config, this));
        if (created[0] == b) {
            LOG.debug("circuit breaker '{}' created: {}", name, config);
            events.publish(new BreakerEvent.BreakerCreated(name));
        }
        return b;
    }

    /**
     * The breakers created so far.
     *
     * @return a snapshot
     */
    public List<Breaker> all() {
        return List.copyOf(new ArrayList<>(breakers.values()));
    }

    /**
     * Adds a listener of the breakers' events: each breaker created and each state change, from
     * now on. Called on the thread of the call that noticed the event; keep it short. A listener
     * that throws is logged and skipped.
     *
     * @param listener the listener
     */
    public void addListener(EventListener<? super BreakerEvent> listener) {
        events.addListener(listener);
    }

    /**
     * Removes a listener.
     *
     * @param listener the listener
     * @return whether it was a listener
     */
    public boolean removeListener(EventListener<? super BreakerEvent> listener) {
        return events.removeListener(listener);
    }

    /**
     * A health check of one breaker: {@code ok} while closed (or disabled), degraded with the word
     * {@code open} or {@code half-open} otherwise, the breaker named in the details
     * ({@code breaker}). It never reports down.
     *
     * @param name the breaker's name
     * @return the check
     */
    public HealthCheck healthCheck(String name) {
        Breaker b = breaker(name);
        Map<String, Object> details = Map.of("breaker", name);
        return () -> {
            HealthCheckResult r = result(b.state());
            return new HealthCheckResult(r.status(), r.word(), details);
        };
    }

    /**
     * A health check over all breakers: degraded while any is open or half-open. Its word names
     * them, since the health report shows only the word: {@code open: llm},
     * {@code half-open: cache}, or {@code open: llm; half-open: cache} (breakers in name order);
     * the details hold every breaker's state.
     *
     * @return the check
     */
    public HealthCheck healthCheck() {
        return () -> {
            Map<String, Object> details = new java.util.TreeMap<>();
            Map<String, List<String>> notOk = new java.util.TreeMap<>(java.util.Comparator
                    .comparing((String w) -> !w.equals("open")).thenComparing(w -> w));
            for (Breaker b : breakers.values()) {
                BreakerState s = b.state();
                String word = word(s);
                details.put(b.name(), word);
                if (result(s).status() != HealthCheckResult.Status.UP) {
                    notOk.computeIfAbsent(word, w -> new ArrayList<>()).add(b.name());
                }
            }
            if (notOk.isEmpty()) {
                return HealthCheckResult.up(details);
            }
            StringBuilder word = new StringBuilder();
            notOk.forEach((w, names) -> {
                names.sort(null);
                word.append(word.length() == 0 ? "" : "; ").append(w).append(": ").append(String.join(", ", names));
            });
            return new HealthCheckResult(HealthCheckResult.Status.DEGRADED, word.toString(), details);
        };
    }

    static HealthCheckResult result(BreakerState state) {
        return switch (state) {
            case CLOSED, DISABLED, METRICS_ONLY -> HealthCheckResult.up();
            default -> HealthCheckResult.degraded(word(state));
        };
    }

    static String word(BreakerState state) {
        return switch (state) {
            case CLOSED, DISABLED, METRICS_ONLY -> "ok";
            default -> state.word();
        };
    }

    void stateChanged(Breaker breaker, BreakerState from, BreakerState to) {
        if (to.isOpen()) {
            LOG.warn("circuit breaker '{}' {} -> {}: calls are rejected for {}", breaker.name(), from, to,
                    breaker.config().waitInOpen());
        } else {
            LOG.info("circuit breaker '{}' {} -> {}", breaker.name(), from, to);
        }
        events.publish(new BreakerEvent.StateChanged(breaker.name(), from, to));
    }
}
