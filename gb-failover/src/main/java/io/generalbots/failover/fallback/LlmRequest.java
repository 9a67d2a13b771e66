package io.generalbots.failover.fallback;

import java.util.Objects;

/**
 * A completion request.
 *
 * @param model  the model to use
 * @param prompt the prompt
 */
public record LlmRequest(String model, String prompt) {

    /**
     * Creates a request.
     *
     * @param model  the model
     * @param prompt the prompt
     */
    public LlmRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(prompt, "prompt");
    }
}
