package io.generalbots.failover.fallback;

/**
 * An LLM the host application can call (OpenAI, a local llama.cpp server, …). gb-failover ships
 * none: the host implements it and registers providers by name for {@link ResilientLlm}, or makes
 * it a plug-in that {@code fallback-llm-provider,NAME} finds with {@link java.util.ServiceLoader}
 * (through {@link io.generalbots.scaling.Plugins}) when the host registered none of that name: list
 * the class in {@code META-INF/services/io.generalbots.failover.fallback.LlmProvider}. A plug-in
 * needs a public no-argument constructor, so it reads its endpoint and credentials itself (e.g.
 * from the environment); providers built with the host's clients are registered instead.
 */
public interface LlmProvider {

    /**
     * The provider's name, as {@code fallback-llm-provider} names it (e.g. {@code local}).
     *
     * @return the name
     */
    String name();

    /**
     * Completes a prompt.
     *
     * @param request the model and prompt
     * @return the completion
     * @throws Exception when the provider fails
     */
    String complete(LlmRequest request) throws Exception;
}
