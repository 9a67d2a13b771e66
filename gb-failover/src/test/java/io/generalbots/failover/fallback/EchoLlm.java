package io.generalbots.failover.fallback;

import static org.mockito.Mockito.mock;

/**
 * An LLM provider of a test's own, found by ServiceLoader: answers with the model and the prompt.
 * Every request is also handed to a Mockito mock, so that tests verify how the library calls a
 * plug-in.
 */
public final class EchoLlm implements LlmProvider {

    /** Sees every request any EchoLlm answers. */
    static final LlmProvider SEEN = mock(LlmProvider.class);

    @Override
    public String name() {
        return "echo";
    }

    @Override
    public String complete(LlmRequest request) throws Exception {
        SEEN.complete(request);
        return "echo(" + request.model() + "): " + request.prompt();
    }
}
