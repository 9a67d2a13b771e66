package io.generalbots.examples;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.generalbots.failover.breaker.Breaker;
import io.generalbots.failover.breaker.BreakerMetrics;
import io.generalbots.failover.breaker.BreakerRegistry;
import io.generalbots.failover.breaker.CircuitBreakerSettings;
import io.generalbots.failover.fallback.Answer;
import io.generalbots.failover.fallback.FallbackSettings;
import io.generalbots.failover.fallback.LlmProvider;
import io.generalbots.failover.fallback.LlmRequest;
import io.generalbots.failover.fallback.ResilientLlm;
import io.generalbots.failover.health.HealthAggregator;
import io.generalbots.failover.health.HealthAggregatorSettings;
import io.generalbots.failover.health.HealthHttpHandler;
import io.generalbots.failover.health.HealthMetrics;
import io.generalbots.scaling.health.HealthSettings;

/**
 * gb-failover in the demo: {@code /api/chat}'s pretend LLM sits behind the {@code llm} circuit
 * breaker with the local fallback of {@code fallback-llm-*}, and {@code health-endpoint} serves
 * the aggregated report (with {@code /live} and {@code /ready}). The tour takes the pretend LLM
 * down: after {@code circuit-breaker-threshold} failures the breaker opens, the local model
 * answers, and the health report turns {@code degraded}.
 */
final class FailoverFeature implements DemoFeature {

    private final AtomicBoolean llmDown = new AtomicBoolean();
    private BreakerRegistry breakers;
    private HealthAggregator health;
    private String endpoint;

    @Override
    public String name() {
        return "failover (breaker, LLM fallback, health)";
    }

    @Override
    public void install(DemoContext demo) {
        breakers = BreakerRegistry.of(CircuitBreakerSettings.from(demo.config()));
        BreakerMetrics.of(breakers).bindTo(demo.meters());
        FallbackSettings fallback = FallbackSettings.from(demo.config());
        DemoContext.ChatService previous = demo.chat();
        LlmProvider pretend = new LlmProvider() {
            @Override
            public String name() {
                return "pretend-llm";
            }

            @Override
            public String complete(LlmRequest request) throws Exception {
                if (llmDown.get()) {
                    throw new IOException("pretend LLM answered 503");
                }
                return previous.reply("user", request.prompt());
            }
        };
        LlmProvider local = new LlmProvider() {
            @Override
            public String name() {
                return fallback.llmProvider();
            }

            @Override
            public String complete(LlmRequest request) {
                return "(short answer from " + request.model() + ") " + request.prompt();
            }
        };
        ResilientLlm llm = ResilientLlm.of(pretend, "demo-model", breakers.breaker("llm"),
                Map.of(fallback.llmProvider(), local), fallback);
        demo.decorateChat(chat -> (user, message) -> {
            Answer<String> answer = llm.complete(message);
            return answer.value() + "  [answered by " + answer.answeredBy() + "]";
        });

        HealthSettings settings = HealthSettings.from(demo.config());
        endpoint = settings.endpoint();
        HealthAggregator.Builder builder = HealthAggregator.custom(HealthAggregatorSettings.from(demo.config()))
                .version(DemoBotServer.VERSION)
                .instance(demo.instance())                    // draining, requests/min, response time
                .check("llm", llm.healthCheck()).check("breakers", breakers.healthCheck());
        demo.healthChecks().forEach(builder::check);     // e.g. vectordb, from the Qdrant feature
        health = builder.build();
        HealthMetrics.of(health).bindTo(demo.meters());
        if (settings.enabled()) {
            health.start();
            demo.route(endpoint, new HealthHttpHandler(endpoint, health));
        }
    }

    @Override
    public void tour(DemoTour tour) throws Exception {
        tour.say("failover: the pretend LLM behind the 'llm' circuit breaker, the local model as fallback");
        tour.show("POST", "/api/chat", tour.post("/api/chat", "what are your opening hours?", Map.of()));
        llmDown.set(true);
        Breaker llm = breakers.breaker("llm");
        tour.say("the pretend LLM goes down; threshold " + llm.config().failureThreshold()
                + " consecutive failures open the breaker:");
        for (int i = 0; i <= llm.config().failureThreshold(); i++) {
            tour.show("POST", "/api/chat", tour.post("/api/chat", "hello " + i, Map.of()));
        }
        tour.say("breaker 'llm' is " + llm.state() + "; the health report is refreshed in the background:");
        health.refresh().join();
        tour.show("GET", endpoint, tour.get(endpoint, Map.of()));
        tour.show("GET", endpoint + "/ready", tour.get(endpoint + "/ready", Map.of()));
        tour.show("GET", endpoint + "/live", tour.get(endpoint + "/live", Map.of()));
        llmDown.set(false);
        tour.say("the LLM is back; the breaker lets a trial call through after " + llm.config().waitInOpen());
    }

    @Override
    public void close() {
        if (health != null) {
            health.close();
        }
    }
}
