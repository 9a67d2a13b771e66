package io.generalbots.failover.fallback;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

import io.generalbots.failover.breaker.Breaker;
import io.generalbots.scaling.Plugins;
import io.generalbots.scaling.health.HealthCheck;

/**
 * The LLM facade of {@code fallback-llm-*}: the primary provider and model behind the {@code llm}
 * breaker; when it fails or the breaker is open, the provider named by
 * {@code fallback-llm-provider} (one the host registers, or an {@link LlmProvider} plug-in on the
 * class path) with the model {@code fallback-llm-model}. The answer says who
 * answered as {@code PROVIDER/MODEL}.
 *
 * <pre>{@code
 * ResilientLlm llm = ResilientLlm.of(openai, "gpt-4o", breakers.breaker("llm"),
 *         Map.of("local", localLlama), FallbackSettings.from(config));
 * Answer<String> a = llm.complete("Hello");   // a.answeredBy(): "openai/gpt-4o" or "local/DeepSeek-R3-..."
 * }</pre>
 */
public final class ResilientLlm {

    private final FallbackChain<String, String> chain;

    private ResilientLlm(FallbackChain<String, String> chain) {
        this.chain = chain;
    }

    /**
     * The facade as {@code fallback-llm-*} configures it.
     *
     * @param primary      the primary provider
     * @param primaryModel its model
     * @param breaker      its breaker
     * @param providers    providers by name, among which the fallback is looked up first; then among
     *                     the {@link LlmProvider}s on the class path ({@link Plugins})
     * @param settings     the fallback settings
     * @return the facade
     * @throws IllegalArgumentException when the fallback provider is neither among the providers nor
     *                                  on the class path
     */
    public static ResilientLlm of(LlmProvider primary, String primaryModel, Breaker breaker,
                                  Map<String, LlmProvider> providers, FallbackSettings settings) {
        Objects.requireNonNull(primary, "primary");
        Objects.requireNonNull(primaryModel, "primaryModel");
        FallbackChain.Builder<String, String> b = FallbackChain.<String, String>custom(breaker.name())
                .primary(primary.name() + "/" + primaryModel, breaker,
                        prompt -> primary.complete(new LlmRequest(primaryModel, prompt)));
        if (settings.llmEnabled()) {
            LlmProvider fallback = fallbackProvider(providers, settings.llmProvider());
            String model = settings.llmModel();
            b.fallback(fallback.name() + "/" + model, prompt -> fallback.complete(new LlmRequest(model, prompt)));
        }
        return new ResilientLlm(b.build());
    }

    private static LlmProvider fallbackProvider(Map<String, LlmProvider> providers, String name) {
        LlmProvider registered = providers.get(name);
        if (registered != null) {
            return registered;
        }
        return Plugins.find(LlmProvider.class, LlmProvider::name, name).orElseThrow(() -> {
            List<String> found = Plugins.names(LlmProvider.class, LlmProvider::name);
            return new IllegalArgumentException("fallback-llm-provider must name a registered provider (one of "
                    + new TreeSet<>(providers.keySet()) + ")" + (found.isEmpty() ? ""
                    : " or an LlmProvider on the class path (" + found + ")") + ", but was " + name);
        });
    }

    /**
     * Completes a prompt with the primary, or the fallback.
     *
     * @param prompt the prompt
     * @return the completion and who answered
     * @throws AllFailedException when neither answered
     */
    public Answer<String> complete(String prompt) {
        return chain.call(prompt);
    }

    /**
     * Degraded while the fallback serves.
     *
     * @return the check
     */
    public HealthCheck healthCheck() {
        return chain.healthCheck();
    }
}
