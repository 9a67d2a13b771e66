package io.generalbots.failover.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.generalbots.failover.breaker.BreakerRegistry;
import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigException;
import io.generalbots.scaling.search.KnowledgeSearch;
import io.generalbots.scaling.search.SearchHit;
import io.generalbots.scaling.search.SearchRequest;

class FacadesTest {

    /** The test double of an LLM provider: answers with its name, model and prompt, or fails. */
    static final class ScriptedLlm implements LlmProvider {
        final String name;
        final AtomicBoolean up = new AtomicBoolean(true);

        ScriptedLlm(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String complete(LlmRequest request) throws IOException {
            if (!up.get()) {
                throw new IOException(name + " is down");
            }
            return name + "(" + request.model() + "): " + request.prompt();
        }
    }

    private final BreakerRegistry breakers = BreakerRegistry.ofDefaults();

    @Test
    void theLlmFallsBackToTheConfiguredProviderAndModel() {
        ScriptedLlm openai = new ScriptedLlm("openai");
        ScriptedLlm local = new ScriptedLlm("local");
        ResilientLlm llm = ResilientLlm.of(openai, "gpt-4o", breakers.breaker("llm"), Map.of("local", local),
                FallbackSettings.from(BotConfig.ofDefaults()));
        assertThat(llm.complete("hi")).isEqualTo(new Answer<>("openai(gpt-4o): hi", "openai/gpt-4o", false));
        openai.up.set(false);
        assertThat(llm.complete("hi")).isEqualTo(new Answer<>("local(DeepSeek-R3-Distill-Qwen-1.5B): hi",
                "local/DeepSeek-R3-Distill-Qwen-1.5B", true));
    }

    @Test
    void anUnknownFallbackProviderIsNamed() {
        BotConfig config = BotConfig.parse("config.csv", "fallback-llm-provider,ollama");
        assertThatThrownBy(() -> ResilientLlm.of(new ScriptedLlm("openai"), "gpt-4o", breakers.breaker("llm"),
                Map.of("local", new ScriptedLlm("local")), FallbackSettings.from(config)))
                // this test class path has an LlmProvider plug-in (LlmProviderPluginTest), so it is named too
                .hasMessage("fallback-llm-provider must name a registered provider (one of [local]) or an LlmProvider "
                        + "on the class path ([echo]), but was ollama");
    }

    @Test
    void llmFallbackCanBeSwitchedOff() {
        ScriptedLlm openai = new ScriptedLlm("openai");
        openai.up.set(false);
        ResilientLlm llm = ResilientLlm.of(openai, "gpt-4o", breakers.breaker("llm"), Map.of(),
                FallbackSettings.from(BotConfig.parse("config.csv", "fallback-llm-enabled,false")));
        assertThatThrownBy(() -> llm.complete("hi")).isInstanceOf(AllFailedException.class)
                .hasMessage("llm: no step answered: openai/gpt-4o: IOException: openai is down");
    }

    @Test
    void searchFallsBackToKeywords() {
        InMemoryKeywordSearch keywords = new InMemoryKeywordSearch();
        keywords.add("bot1", "d1", "Reset your password from the login page");
        keywords.add("bot1", "d2", "Billing questions go to finance");
        KnowledgeSearch qdrant = r -> {
            throw new IllegalStateException("UNAVAILABLE: qdrant");
        };
        ResilientSearch search = ResilientSearch.of(qdrant, breakers.breaker("vectordb"), keywords,
                FallbackSettings.from(BotConfig.ofDefaults()));
        Answer<List<SearchHit>> a = search.searchAnswered(SearchRequest.ofText("bot1", "password reset", 5));
        assertThat(a.answeredBy()).isEqualTo("keyword-search");
        assertThat(a.fromFallback()).isTrue();
        assertThat(a.value()).extracting(SearchHit::id).containsExactly("d1");
    }

    @Test
    void inMemoryKeywordSearchRanksByTfIdf() {
        InMemoryKeywordSearch s = new InMemoryKeywordSearch();
        s.add("b", "a", "cat cat dog");
        s.add("b", "b", "cat bird");
        s.add("b", "c", "fish");
        s.add("b", "d", "Café com leite");
        s.add("other", "x", "cat cat cat cat");
        assertThat(s.search(SearchRequest.ofText("b", "CAT", 10))).extracting(SearchHit::id).containsExactly("a", "b");
        assertThat(s.search(SearchRequest.ofText("b", "bird cat", 10))).extracting(SearchHit::id).startsWith("b");
        assertThat(s.search(SearchRequest.ofText("b", "cafe", 10))).extracting(SearchHit::id).containsExactly("d");
        assertThat(s.search(SearchRequest.ofText("b", "cat", 1))).hasSize(1);
        assertThat(s.search(SearchRequest.ofText("b", "  ", 10))).isEmpty();
        assertThat(s.search(SearchRequest.ofText("nobody", "cat", 10))).isEmpty();
    }

    @Test
    void fallbackSettingsRejectUnknownModes() {
        BotConfig config = BotConfig.parse("config.csv", "fallback-cache-mode,disk\nfallback-vectordb-mode,bm25\n"
                + "fallback-cache-size,0");
        assertThatThrownBy(() -> FallbackSettings.from(config)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("config.csv:1: fallback-cache-mode must be one of memory, but was \"disk\"")
                .hasMessageContaining("config.csv:2: fallback-vectordb-mode must be one of keyword-search, but was \"bm25\"")
                .hasMessageContaining("config.csv:3: fallback-cache-size must be an integer from 1 to 100000000, "
                        + "but was \"0\"");
    }
}
