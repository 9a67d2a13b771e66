package io.generalbots.failover.fallback;

/**
 * An LLM the host application can call (OpenAI, a local llama.cpp server, …). gb-failover ships
 * none: the host implements it and registers providers by name for {@link ResilientLlm}.
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
