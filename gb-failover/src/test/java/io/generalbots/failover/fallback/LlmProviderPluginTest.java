package io.generalbots.failover.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.generalbots.failover.breaker.BreakerRegistry;
import io.generalbots.scaling.config.BotConfig;

/** A fallback LLM of one's own, plugged in by the name fallback-llm-provider gives, through ServiceLoader. */
class LlmProviderPluginTest {

    private final BreakerRegistry breakers = BreakerRegistry.ofDefaults();

    private static FallbackSettings settings(String text) {
        return FallbackSettings.from(BotConfig.parse("config.csv", text));
    }

    @Test
    void theProviderNamedInConfigCsvAnswersWhenThePrimaryFails() throws Exception {
        clearInvocations(EchoLlm.SEEN);
        LlmProvider primary = mock(LlmProvider.class);
        when(primary.name()).thenReturn("openai");
        when(primary.complete(any())).thenThrow(new IOException("openai is down"));
        ResilientLlm llm = ResilientLlm.of(primary, "gpt-4o", breakers.breaker("llm"), Map.of(),
                settings("fallback-llm-provider,Echo\nfallback-llm-model,tiny\n"));

        assertThat(llm.complete("hi")).isEqualTo(new Answer<>("echo(tiny): hi", "echo/tiny", true));
        // the chain asks the primary with its model first, then the plug-in with the fallback model
        verify(primary).complete(new LlmRequest("gpt-4o", "hi"));
        verify(EchoLlm.SEEN).complete(new LlmRequest("tiny", "hi"));
    }

    @Test
    void aProviderTheHostRegisteredWinsOverThePlugIn() throws Exception {
        clearInvocations(EchoLlm.SEEN);
        LlmProvider primary = mock(LlmProvider.class);
        when(primary.name()).thenReturn("openai");
        when(primary.complete(any())).thenThrow(new IOException("openai is down"));
        LlmProvider hosts = mock(LlmProvider.class);
        when(hosts.name()).thenReturn("echo");
        when(hosts.complete(any())).thenReturn("the host's echo");
        ResilientLlm llm = ResilientLlm.of(primary, "gpt-4o", breakers.breaker("llm"), Map.of("echo", hosts),
                settings("fallback-llm-provider,echo\nfallback-llm-model,tiny\n"));

        assertThat(llm.complete("hi").value()).isEqualTo("the host's echo");
        verify(hosts).complete(new LlmRequest("tiny", "hi"));
        verify(EchoLlm.SEEN, never()).complete(any());
    }
}
