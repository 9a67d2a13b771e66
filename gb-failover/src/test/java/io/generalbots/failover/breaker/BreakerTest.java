package io.generalbots.failover.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigException;
import io.generalbots.scaling.health.HealthCheckResult;
import io.generalbots.scaling.testing.ManualTicker;
import io.generalbots.scaling.testing.CapturedLog;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;

class BreakerTest {

    private final ManualTicker ticker = new ManualTicker();
    private final List<String> transitions = new CopyOnWriteArrayList<>();
    private BreakerRegistry registry;
    private Breaker breaker;
    private final AtomicInteger calls = new AtomicInteger();

    @BeforeEach
    void setUp() {
        registry = BreakerRegistry.of(BreakerConfig.custom().failureThreshold(3).waitInOpen(Duration.ofSeconds(30))
                .halfOpenCalls(2).ticker(ticker).build());
        registry.addListener(event -> {
            if (event instanceof BreakerEvent.StateChanged s) {
                transitions.add(s.breaker() + ":" + s.from() + "->" + s.to());
            }
        });
        breaker = registry.breaker("llm");
    }

    private String ok() throws Exception {
        return breaker.call(() -> {
            calls.incrementAndGet();
            return "ok";
        });
    }

    private void fail() {
        assertThatThrownBy(() -> breaker.call(() -> {
            calls.incrementAndGet();
            throw new IOException("down");
        })).isInstanceOf(IOException.class).hasMessage("down");
    }

    private void open() {
        fail();
        fail();
        fail();
        assertThat(breaker.state()).isEqualTo(BreakerState.OPEN);
    }

    @Test
    void opensAfterExactlyThresholdConsecutiveFailures() {
        fail();
        fail();
        assertThat(breaker.state()).isEqualTo(BreakerState.CLOSED);
        fail();
        assertThat(breaker.state()).isEqualTo(BreakerState.OPEN);
        assertThat(transitions).containsExactly("llm:CLOSED->OPEN");
    }

    @Test
    void aSuccessBreaksTheRunOfFailures() throws Exception {
        fail();
        fail();
        assertThat(ok()).isEqualTo("ok");
        fail();
        fail();
        assertThat(breaker.state()).isEqualTo(BreakerState.CLOSED);
        fail();
        assertThat(breaker.state()).isEqualTo(BreakerState.OPEN);
    }

    @Test
    void openRejectsWithoutCallingUntilTheTimeoutPasses() {
        open();
        int before = calls.get();
        ticker.advance(Duration.ofMillis(17_500));
        assertThatThrownBy(this::ok).isInstanceOf(BreakerOpenException.class)
                .hasMessage("circuit breaker 'llm' is open: calls are rejected for another 12500 ms")
                .hasCauseInstanceOf(CallNotPermittedException.class)
                .satisfies(e -> {
                    BreakerOpenException open = (BreakerOpenException) e;
                    assertThat(open.breaker()).isEqualTo("llm");
                    assertThat(open.state()).isEqualTo(BreakerState.OPEN);
                    assertThat(open.waitLeft()).isEqualTo(Duration.ofMillis(12_500));
                    assertThat(open.getStackTrace()).as("as cheap as Resilience4j's rejection").isEmpty();
                });
        ticker.advance(Duration.ofMillis(12_500));
        assertThatThrownBy(this::ok).as("half-open begins strictly after the wait")
                .isInstanceOf(BreakerOpenException.class)
                .hasMessage("circuit breaker 'llm' is open: calls are rejected for another 0 ms");
        assertThat(calls.get()).isEqualTo(before);
        ticker.advance(Duration.ofNanos(1));
        assertThat(breaker.state()).as("no automatic transition: still open until a call").isEqualTo(BreakerState.OPEN);
        fail();
        assertThat(transitions).containsExactly("llm:CLOSED->OPEN", "llm:OPEN->HALF_OPEN");
    }

    @Test
    void halfOpenLetsExactlyTheTrialCallsThroughAndOneSuccessCloses() throws Exception {
        open();
        ticker.advance(Duration.ofSeconds(30).plusNanos(1));
        fail();
        assertThat(breaker.state()).isEqualTo(BreakerState.HALF_OPEN);
        assertThat(ok()).isEqualTo("ok");
        assertThat(breaker.state()).isEqualTo(BreakerState.CLOSED);
        assertThat(transitions).containsExactly("llm:CLOSED->OPEN", "llm:OPEN->HALF_OPEN", "llm:HALF_OPEN->CLOSED");
    }

    @Test
    void allTrialCallsFailingReopensForAnotherTimeout() throws Exception {
        open();
        ticker.advance(Duration.ofSeconds(30).plusNanos(1));
        fail();
        fail();
        assertThat(breaker.state()).isEqualTo(BreakerState.OPEN);
        ticker.advance(Duration.ofSeconds(29));
        assertThatThrownBy(this::ok).isInstanceOf(BreakerOpenException.class)
                .hasMessage("circuit breaker 'llm' is open: calls are rejected for another 1000 ms");
        ticker.advance(Duration.ofSeconds(1).plusNanos(1));
        assertThat(ok()).isEqualTo("ok");
        assertThat(transitions).containsExactly("llm:CLOSED->OPEN", "llm:OPEN->HALF_OPEN", "llm:HALF_OPEN->OPEN",
                "llm:OPEN->HALF_OPEN");
    }

    @Test
    void halfOpenRejectsCallsBeyondThePermittedTrials() throws Exception {
        open();
        ticker.advance(Duration.ofSeconds(30).plusNanos(1));
        // two trial calls in flight: a third is rejected
        assertThat(breaker.circuitBreaker().tryAcquirePermission()).isTrue();
        assertThat(breaker.circuitBreaker().tryAcquirePermission()).isTrue();
        assertThatThrownBy(this::ok).isInstanceOf(BreakerOpenException.class)
                .hasMessage("circuit breaker 'llm' is half-open: its trial calls are under way, other calls are rejected")
                .satisfies(e -> assertThat(((BreakerOpenException) e).waitLeft()).isZero());
    }

    @Test
    void ignoredExceptionsNeitherCountNorBreakTheRun() {
        Breaker b = registry.breaker("cache", registry.defaultConfig().toBuilder()
                .ignoreException(e -> e instanceof IllegalArgumentException).build());
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> b.call(() -> {
                throw new IOException("down");
            })).isInstanceOf(IOException.class);
        }
        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> b.get(() -> {
                throw new IllegalArgumentException("bad key");
            })).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(b.state()).isEqualTo(BreakerState.CLOSED);
        assertThatThrownBy(() -> b.call(() -> {
            throw new IOException("down");
        })).isInstanceOf(IOException.class);
        assertThat(b.state()).as("the ignored ones did not break the run of 3").isEqualTo(BreakerState.OPEN);
    }

    @Test
    void exceptionsNotRecordedCountAsSuccesses() {
        Breaker b = registry.breaker("db", registry.defaultConfig().toBuilder()
                .recordException(e -> e instanceof IOException).build());
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> b.call(() -> {
                throw new IOException("down");
            })).isInstanceOf(IOException.class);
        }
        assertThatThrownBy(() -> b.get(() -> {
            throw new IllegalStateException("constraint");
        })).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> b.call(() -> {
            throw new IOException("down");
        })).isInstanceOf(IOException.class);
        assertThat(b.state()).isEqualTo(BreakerState.CLOSED);
        assertThat(b.circuitBreaker().getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(1);
    }

    @Test
    void slowCallsOpenOnlyWhenConfigured() throws Exception {
        Breaker slowOff = registry.breaker("plain");
        Breaker slowOn = registry.breaker("slow", registry.defaultConfig().toBuilder()
                .slowCall(Duration.ofSeconds(2)).build());
        for (int i = 0; i < 3; i++) {
            slowOff.call(() -> ticker.advance(Duration.ofMinutes(10)));
            slowOn.call(() -> ticker.advance(Duration.ofSeconds(3)));
        }
        assertThat(slowOff.state()).isEqualTo(BreakerState.CLOSED);
        assertThat(slowOn.state()).isEqualTo(BreakerState.OPEN);
    }

    @Test
    void disabledPassesEveryCallStraightThrough() throws Exception {
        BreakerRegistry off;
        try (CapturedLog log = CapturedLog.open()) {
            off = BreakerRegistry.of(CircuitBreakerSettings.from(BotConfig.parse("config.csv",
                    "circuit-breaker-enabled,false\ncircuit-breaker-threshold,1")));
            assertThat(log.linesContaining("BreakerRegistry")).containsExactly("[main] INFO io.generalbots.failover."
                    + "breaker.BreakerRegistry - circuit breakers are disabled (circuit-breaker-enabled,false): every call "
                    + "goes straight through");
        }
        Breaker b = off.breaker("llm");
        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> b.call(() -> {
                throw new IOException("down");
            })).isInstanceOf(IOException.class);
        }
        assertThat(b.state()).isEqualTo(BreakerState.DISABLED);
        assertThat(b.call(() -> "through")).isEqualTo("through");
        assertThat(off.healthCheck("llm").check().word()).isEqualTo("ok");
    }

    @Test
    void anOpenBreakerDegradesHealthButNeverDownsIt() throws Exception {
        assertThat(registry.healthCheck("llm").check()).isEqualTo(HealthCheckResult.up(Map.of("breaker", "llm")));
        open();
        HealthCheckResult r = registry.healthCheck("llm").check();
        assertThat(r.status()).isEqualTo(HealthCheckResult.Status.DEGRADED);
        assertThat(r.word()).isEqualTo("open");
        HealthCheckResult all = registry.healthCheck().check();
        assertThat(all.status()).isEqualTo(HealthCheckResult.Status.DEGRADED);
        assertThat(all.details()).containsEntry("llm", "open");
        ticker.advance(Duration.ofSeconds(30).plusNanos(1));
        fail();
        assertThat(registry.healthCheck("llm").check().word()).isEqualTo("half-open");
    }

    @Test
    void theHealthReportNamesTheBreakerAndSaysHalfOpenWhenItIs() throws Exception {
        Breaker cache = registry.breaker("cache");
        HealthCheckResult llm = registry.healthCheck("llm").check();
        assertThat(llm).isEqualTo(new HealthCheckResult(HealthCheckResult.Status.UP, "ok", Map.of("breaker", "llm")));
        open();
        assertThat(registry.healthCheck().check().word()).isEqualTo("open: llm");
        assertThat(registry.healthCheck("llm").check())
                .isEqualTo(new HealthCheckResult(HealthCheckResult.Status.DEGRADED, "open", Map.of("breaker", "llm")));
        ticker.advance(Duration.ofSeconds(30).plusNanos(1));
        breaker.circuitBreaker().transitionToHalfOpenState();
        HealthCheckResult all = registry.healthCheck().check();
        assertThat(all.word()).isEqualTo("half-open: llm");
        assertThat(all.details()).isEqualTo(Map.of("llm", "half-open", "cache", "ok"));
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> cache.call(() -> {
                throw new IOException("down");
            })).isInstanceOf(IOException.class);
        }
        assertThat(registry.healthCheck().check().word()).isEqualTo("open: cache; half-open: llm");
    }

    @Test
    void aBreakerForcedOpenOnTheUnderlyingBreakerSaysSo() {
        breaker.circuitBreaker().transitionToForcedOpenState();
        assertThatThrownBy(this::ok).isInstanceOf(BreakerOpenException.class)
                .hasMessage("circuit breaker 'llm' is forced-open: calls are rejected until it is closed by hand");
        assertThat(breaker.isCallPermitted()).isFalse();
        assertThat(transitions).containsExactly("llm:CLOSED->FORCED_OPEN");
    }

    @Test
    void aThrowingListenerBreaksNoCallAndTheOtherListenersStillHearEveryEvent() throws Exception {
        List<BreakerEvent> heard = new CopyOnWriteArrayList<>();
        registry.addListener(event -> {
            throw new IllegalStateException("listener bug");
        });
        registry.addListener(heard::add);
        try (CapturedLog log = CapturedLog.open()) {
            Breaker db = registry.breaker("db");
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> db.call(() -> {
                    throw new IOException("down");
                })).isInstanceOf(IOException.class).hasMessage("down");
            }
            assertThat(db.state()).isEqualTo(BreakerState.OPEN);
            assertThat(log.linesContaining("failed on")).containsExactly(
                    log.linesContaining("failed on BreakerCreated[breaker=db]").get(0),
                    log.linesContaining("failed on StateChanged[breaker=db, from=CLOSED, to=OPEN]").get(0));
            assertThat(log.linesContaining("failed on")).allMatch(l -> l.contains("WARN ")
                    && l.contains("io.generalbots.scaling.event.EventPublisher - circuit breakers: listener "));
        }
        assertThat(heard).containsExactly(new BreakerEvent.BreakerCreated("db"),
                new BreakerEvent.StateChanged("db", BreakerState.CLOSED, BreakerState.OPEN));
        assertThat(transitions).containsExactly("db:CLOSED->OPEN");
        ticker.advance(Duration.ofSeconds(30).plusNanos(1));
        assertThat(registry.breaker("db").call(() -> "back")).isEqualTo("back");
        assertThat(heard).endsWith(new BreakerEvent.StateChanged("db", BreakerState.OPEN, BreakerState.HALF_OPEN));
    }

    @Test
    void aRemovedListenerHearsNoMoreEvents() {
        List<BreakerEvent> heard = new CopyOnWriteArrayList<>();
        io.generalbots.scaling.event.EventListener<BreakerEvent> listener = heard::add;
        registry.addListener(listener);
        registry.breaker("a");
        assertThat(registry.removeListener(listener)).isTrue();
        registry.breaker("b");
        assertThat(heard).containsExactly(new BreakerEvent.BreakerCreated("a"));
    }

    @Test
    void statesHaveTheWordsOfLogsAndMeters() {
        assertThat(java.util.Arrays.stream(BreakerState.values()).map(BreakerState::word))
                .containsExactly("closed", "open", "half-open", "disabled", "forced-open", "metrics-only");
    }

    @Test
    void resetCloses() {
        open();
        breaker.reset();
        assertThat(breaker.state()).isEqualTo(BreakerState.CLOSED);
        assertThat(transitions).endsWith("llm:OPEN->CLOSED");
    }

    @Test
    void configFileMapsOntoResilience4j() {
        BotConfig config = BotConfig.parse("config.csv", String.join("\n", "name,value",
                "circuit-breaker-threshold,7", "circuit-breaker-timeout,45", "circuit-breaker-half-open-requests,2"));
        BreakerRegistry fromFile = BreakerRegistry.of(CircuitBreakerSettings.from(config));
        var r4j = fromFile.breaker("db").circuitBreaker().getCircuitBreakerConfig();
        assertThat(r4j.getSlidingWindowSize()).isEqualTo(7);
        assertThat(r4j.getMinimumNumberOfCalls()).isEqualTo(7);
        assertThat(r4j.getFailureRateThreshold()).isEqualTo(100f);
        assertThat(r4j.getPermittedNumberOfCallsInHalfOpenState()).isEqualTo(2);
        assertThat(r4j.getWaitIntervalFunctionInOpenState().apply(1)).isEqualTo(45_000L);
        assertThat(r4j.isAutomaticTransitionFromOpenToHalfOpenEnabled()).isFalse();
        var defaults = BreakerRegistry.of(CircuitBreakerSettings.from(BotConfig.ofDefaults())).defaultConfig();
        assertThat(defaults.failureThreshold()).isEqualTo(5);
        assertThat(defaults.waitInOpen()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.halfOpenCalls()).isEqualTo(3);
        assertThat(defaults.enabled()).isTrue();
    }

    @Test
    void badConfigValuesAreAllReported() {
        BotConfig config = BotConfig.parse("config.csv", String.join("\n",
                "circuit-breaker-threshold,0", "circuit-breaker-timeout,soon", "circuit-breaker-enabled,yes"));
        assertThatThrownBy(() -> BreakerRegistry.of(CircuitBreakerSettings.from(config))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("config.csv:1: circuit-breaker-threshold must be an integer from 1 to 1000, but was \"0\"")
                .hasMessageContaining("config.csv:2: circuit-breaker-timeout must be a duration")
                .hasMessageContaining("config.csv:3: circuit-breaker-enabled must be true or false, but was \"yes\"");
    }

    @Test
    void badBuilderArgumentsNameTheSettingAndValue() {
        assertThatThrownBy(() -> BreakerConfig.custom().failureThreshold(0))
                .hasMessage("failureThreshold must be from 1 to 1000, but was 0");
        assertThatThrownBy(() -> BreakerConfig.custom().waitInOpen(Duration.ZERO))
                .hasMessage("waitInOpen must be positive, but was PT0S");
        assertThatThrownBy(() -> registry.breaker(" ")).hasMessage("breaker name must be non-blank, but was \" \"");
    }
}
