package io.generalbots.failover.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.generalbots.failover.breaker.Breaker;
import io.generalbots.failover.breaker.BreakerConfig;
import io.generalbots.failover.breaker.BreakerOpenException;
import io.generalbots.failover.breaker.BreakerRegistry;
import io.generalbots.scaling.health.HealthCheckResult;
import io.generalbots.scaling.testing.ManualTicker;

class FallbackChainTest {

    private final ManualTicker ticker = new ManualTicker();
    private final BreakerRegistry breakers = BreakerRegistry.of(BreakerConfig.custom().failureThreshold(2)
            .waitInOpen(Duration.ofSeconds(30)).halfOpenCalls(1).ticker(ticker).build());
    private final Breaker breaker = breakers.breaker("llm");
    private final AtomicBoolean primaryUp = new AtomicBoolean(true);
    private final AtomicInteger primaryCalls = new AtomicInteger();
    private final FallbackChain<String, String> chain = FallbackChain.<String, String>custom("llm")
            .primary("openai", breaker, p -> {
                primaryCalls.incrementAndGet();
                if (!primaryUp.get()) {
                    throw new IOException("503 from openai");
                }
                return "openai:" + p;
            })
            .fallback("local", p -> "local:" + p)
            .build();

    @Test
    void thePrimaryAnswersWhileItWorks() throws Exception {
        Answer<String> a = chain.call("hi");
        assertThat(a).isEqualTo(new Answer<>("openai:hi", "openai", false));
        assertThat(chain.healthCheck().check()).isEqualTo(HealthCheckResult.up());
    }

    @Test
    void theFallbackAnswersWhenThePrimaryFailsAndHealthShowsDegraded() throws Exception {
        primaryUp.set(false);
        Answer<String> a = chain.call("hi");
        assertThat(a).isEqualTo(new Answer<>("local:hi", "local", true));
        assertThat(chain.lastAnsweredBy()).isEqualTo("local");
        HealthCheckResult health = chain.healthCheck().check();
        assertThat(health.status()).isEqualTo(HealthCheckResult.Status.DEGRADED);
        assertThat(health.word()).isEqualTo("fallback");
        assertThat(health.details()).containsEntry("answeredBy", "local");
    }

    @Test
    void anOpenBreakerSkipsThePrimaryAndItComesBackAfterTheTimeout() throws Exception {
        primaryUp.set(false);
        chain.call("a");
        chain.call("b");
        assertThat(primaryCalls.get()).isEqualTo(2);
        assertThat(chain.call("c").answeredBy()).isEqualTo("local");
        assertThat(primaryCalls.get()).as("breaker open: primary not called").isEqualTo(2);
        primaryUp.set(true);
        ticker.advance(Duration.ofSeconds(30).plusNanos(1));
        assertThat(chain.call("d")).isEqualTo(new Answer<>("openai:d", "openai", false));
        assertThat(chain.healthCheck().check()).isEqualTo(HealthCheckResult.up());
    }

    @Test
    void whenEveryStepFailsTheErrorNamesEach() throws Exception {
        FallbackChain<String, String> dead = FallbackChain.<String, String>custom("vectordb")
                .primary("qdrant", breaker, p -> {
                    throw new IOException("refused");
                })
                .fallback("keyword", p -> {
                    throw new IllegalStateException("no table");
                })
                .build();
        assertThatThrownBy(() -> dead.call("q")).isInstanceOf(AllFailedException.class)
                .hasMessage("vectordb: no step answered: qdrant: IOException: refused; keyword: IllegalStateException: "
                        + "no table")
                .satisfies(e -> assertThat(e.getSuppressed()).hasSize(2))
                .satisfies(e -> assertThat(((AllFailedException) e).dependency()).isEqualTo("vectordb"));
        assertThat(dead.healthCheck().check()).isEqualTo(HealthCheckResult.down("down"));
    }

    @Test
    void anOpenBreakerIsNamedInTheError() {
        FallbackChain<String, String> only = FallbackChain.<String, String>custom("llm")
                .primary("openai", breaker, p -> {
                    throw new IOException("down");
                }).build();
        assertThatThrownBy(() -> only.call("1")).isInstanceOf(AllFailedException.class);
        assertThatThrownBy(() -> only.call("2")).isInstanceOf(AllFailedException.class);
        assertThatThrownBy(() -> only.call("3")).hasMessage("llm: no step answered: openai: circuit breaker open")
                .satisfies(e -> assertThat(e.getSuppressed()[0]).isInstanceOf(BreakerOpenException.class));
    }

    @Test
    void builderMistakesAreNamed() {
        assertThatThrownBy(() -> FallbackChain.<String, String>custom("x").build())
                .hasMessage("chain x needs a primary");
        assertThatThrownBy(() -> FallbackChain.<String, String>custom("x").fallback("f", p -> p))
                .hasMessage("chain x needs its primary before fallback f");
        assertThatThrownBy(() -> FallbackChain.<String, String>custom("x").primary("a", null, p -> p)
                .primary("b", null, p -> p)).hasMessage("chain x already has a primary: a");
        assertThatThrownBy(() -> FallbackChain.<String, String>custom(" "))
                .hasMessage("chain name must be non-blank, but was  ");
    }
}
