package io.generalbots.failover.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigException;
import io.generalbots.scaling.health.HealthCheckResult;
import io.generalbots.scaling.health.HealthReport;
import io.generalbots.scaling.health.HealthStatus;
import io.generalbots.scaling.testing.CapturedLog;
import io.generalbots.scaling.testing.ManualTicker;

class HealthAggregatorTest {

    private static final HostMetrics FIXED = new HostMetrics() {
        @Override
        public double cpuPercent() {
            return 45.24;
        }

        @Override
        public double memoryPercent() {
            return 62.1;
        }
    };

    private final ManualTicker ticker = new ManualTicker();
    private final CountDownLatch never = new CountDownLatch(1);
    private HealthAggregator aggregator;

    @AfterEach
    void tearDown() {
        never.countDown();
        if (aggregator != null) {
            aggregator.close();
        }
    }

    private HealthAggregator.Builder builder() {
        return HealthAggregator.custom().ticker(ticker).hostMetrics(FIXED).version("6.1.0").retries(0)
                .timeout(Duration.ofSeconds(5));
    }

    @Test
    void reportsTheSeedsJsonWithUptimeAndConnections() {
        aggregator = builder().connections(() -> 150).check("database", HealthCheckResult::up)
                .check("cache", HealthCheckResult::up).check("vectordb", HealthCheckResult::up)
                .check("llm", HealthCheckResult::up).build();
        ticker.advance(Duration.ofSeconds(86400));
        HealthReport report = aggregator.refresh().join();
        assertThat(report.toJson()).isEqualTo("{\"status\":\"healthy\",\"version\":\"6.1.0\",\"uptime\":86400,"
                + "\"checks\":{\"database\":\"ok\",\"cache\":\"ok\",\"vectordb\":\"ok\",\"llm\":\"ok\"},"
                + "\"metrics\":{\"cpu\":45.2,\"memory\":62.1,\"connections\":150}}");
    }

    @Test
    void checksRunInParallel() {
        // each check waits until all four are running at once: only a parallel run can pass
        CyclicBarrier together = new CyclicBarrier(4);
        HealthAggregator.Builder b = builder();
        for (String name : new String[] {"database", "cache", "vectordb", "llm"}) {
            b.check(name, () -> {
                together.await(10, TimeUnit.SECONDS);
                return HealthCheckResult.up();
            });
        }
        aggregator = b.build();
        assertThat(aggregator.refresh().join().status()).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void aCheckThatNeverReturnsIsTimeoutAndDoesNotHoldUpTheOthers() {
        AtomicInteger started = new AtomicInteger();
        aggregator = builder().timeout(Duration.ofMillis(200)).check("database", HealthCheckResult::up)
                .check("llm", () -> {
                    started.incrementAndGet();
                    never.await();
                    return HealthCheckResult.up();
                }).build();
        HealthReport first = aggregator.refresh().join();
        assertThat(first.checks()).containsEntry("database", "ok").containsEntry("llm", "timeout");
        assertThat(first.status()).isEqualTo(HealthStatus.DEGRADED);
        // the hung run is not started again: one thread, not one per round
        HealthReport second = aggregator.refresh().join();
        assertThat(second.checks()).containsEntry("llm", "timeout");
        assertThat(started.get()).isEqualTo(1);
    }

    @Test
    void aThrowingCheckIsErrorAfterItsRetries() {
        AtomicInteger calls = new AtomicInteger();
        aggregator = builder().retries(3).check("cache", () -> {
            calls.incrementAndGet();
            throw new IOException("connection refused");
        }).build();
        HealthReport report = aggregator.refresh().join();
        assertThat(report.checks()).containsEntry("cache", "error");
        assertThat(calls.get()).isEqualTo(4);
        assertThat(aggregator.results().get("cache").details())
                .containsEntry("error", "java.io.IOException: connection refused");
    }

    @Test
    void aFlakyCheckPassesWithinItsRetries() {
        AtomicInteger calls = new AtomicInteger();
        aggregator = builder().retries(3).check("database", () -> calls.incrementAndGet() < 3
                ? HealthCheckResult.down("down") : HealthCheckResult.up()).build();
        assertThat(aggregator.refresh().join().checks()).containsEntry("database", "ok");
        assertThat(calls.get()).isEqualTo(3);
    }

    @Test
    void retriesStopWhenTheTimeoutIsSpent() {
        AtomicInteger calls = new AtomicInteger();
        aggregator = builder().retries(100).timeout(Duration.ofSeconds(5)).check("database", () -> {
            calls.incrementAndGet();
            ticker.advance(Duration.ofSeconds(2));
            throw new IOException("refused");
        }).build();
        assertThat(aggregator.refresh().join().checks()).containsEntry("database", "error");
        assertThat(calls.get()).isEqualTo(3);
    }

    @Test
    void criticalFailuresMakeItUnhealthyOthersOnlyDegrade() {
        aggregator = builder().criticalChecks(Set.of("database")).check("database", () -> HealthCheckResult.down("down"))
                .check("llm", HealthCheckResult::up).build();
        assertThat(aggregator.refresh().join().status()).isEqualTo(HealthStatus.UNHEALTHY);
        aggregator.close();

        aggregator = builder().check("database", HealthCheckResult::up)
                .check("llm", () -> HealthCheckResult.down("down")).build();
        HealthReport degraded = aggregator.refresh().join();
        assertThat(degraded.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(degraded.status().httpStatus()).isEqualTo(200);
        aggregator.close();

        // a degraded critical check (e.g. its breaker is open and a fallback serves) is not unhealthy
        aggregator = builder().check("database", () -> HealthCheckResult.degraded("open"))
                .check("cache", HealthCheckResult::up, true).build();
        assertThat(aggregator.refresh().join().status()).isEqualTo(HealthStatus.DEGRADED);
    }

    @Test
    void beforeTheFirstRoundChecksArePending() {
        aggregator = builder().check("database", HealthCheckResult::up).check("llm", HealthCheckResult::up).build();
        HealthReport report = aggregator.report();
        assertThat(report.checks()).containsEntry("database", "pending").containsEntry("llm", "pending");
        assertThat(report.status()).isEqualTo(HealthStatus.UNHEALTHY);
    }

    @Test
    void servingNeverWaitsForTheBackgroundRound() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        aggregator = builder().interval(Duration.ofHours(1)).check("database", HealthCheckResult::up)
                .check("llm", () -> {
                    running.countDown();
                    never.await();
                    return HealthCheckResult.up();
                }).build().start();
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        // the llm check is blocked right now; the report is still served, from what is known: a
        // report() that waited for the round would hang here and fail on the (generous) bound
        HealthReport report = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> aggregator.report());
        assertThat(report.checks()).containsEntry("llm", "pending");
    }

    @Test
    void metersFollowTheResults() {
        aggregator = builder().check("database", HealthCheckResult::up).check("llm", () -> HealthCheckResult.degraded("open"))
                .build();
        io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        HealthMetrics.of(aggregator).bindTo(meters);
        assertThat(meters.get("gb.health.status").tag("status", "unhealthy").gauge().value()).isEqualTo(1.0);
        aggregator.refresh().join();
        assertThat(meters.get("gb.health.status").tag("status", "degraded").gauge().value()).isEqualTo(1.0);
        assertThat(meters.get("gb.health.status").tag("status", "unhealthy").gauge().value()).isEqualTo(0.0);
        assertThat(meters.get("gb.health.check.status").tags("check", "database", "status", "up").gauge().value())
                .isEqualTo(1.0);
        assertThat(meters.get("gb.health.check.status").tags("check", "llm", "status", "degraded").gauge().value())
                .isEqualTo(1.0);
        assertThat(meters.get("gb.health.check.status").tags("check", "llm", "status", "up").gauge().value())
                .isEqualTo(0.0);
    }

    @Test
    void checkDurationsAreTimedPerCheckWithBucketsAtTheTimeout() {
        aggregator = builder().check("database", () -> {
            ticker.advance(Duration.ofSeconds(2));
            return HealthCheckResult.up();
        }).build();
        io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        HealthMetrics.of(aggregator).bindTo(meters);
        aggregator.refresh().join();
        aggregator.refresh().join();
        io.micrometer.core.instrument.Timer timer = meters.get("gb.health.check.duration").tag("check", "database").timer();
        assertThat(timer.count()).isEqualTo(2);
        assertThat(timer.totalTime(TimeUnit.SECONDS)).isEqualTo(4.0);
        // buckets at a quarter, half and all of the 5 s timeout: 2 s runs fall in the 2.5 s one
        assertThat(java.util.Arrays.stream(timer.takeSnapshot().histogramCounts())
                .map(c -> c.bucket(TimeUnit.MILLISECONDS) + "=" + (long) c.count()))
                .containsExactly("1250.0=0", "2500.0=2", "5000.0=2");
    }

    @Test
    void concurrentRoundsAndReadsStayConsistent() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        aggregator = builder().check("database", () -> {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            Thread.sleep(1);
            running.decrementAndGet();
            return HealthCheckResult.up();
        }).check("llm", HealthCheckResult::up).build();
        java.util.concurrent.ConcurrentLinkedQueue<Throwable> errors = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        for (int t = 0; t < 6; t++) {
            boolean refresher = t % 2 == 0;
            Thread th = new Thread(() -> {
                try {
                    for (int i = 0; i < 300; i++) {
                        if (refresher) {
                            aggregator.refresh().join();
                        } else {
                            HealthReport r = aggregator.report();
                            if (r.checks().size() != 2 || r.checks().containsValue("timeout")) {
                                throw new AssertionError("inconsistent report " + r);
                            }
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        assertThat(errors).isEmpty();
        assertThat(aggregator.report().status()).isEqualTo(HealthStatus.HEALTHY);
        // overlapping rounds never run one check twice at once
        assertThat(mostAtOnce.get()).isEqualTo(1);
    }

    @Test
    void aThrowingListenerBreaksNoRoundAndTheOthersHearEveryChange() {
        java.util.concurrent.atomic.AtomicReference<HealthCheckResult> database =
                new java.util.concurrent.atomic.AtomicReference<>(HealthCheckResult.up());
        java.util.List<HealthEvent> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        aggregator = builder().listener(event -> {
            throw new IllegalStateException("listener bug");
        }).listener(heard::add).check("database", database::get).build();
        try (CapturedLog log = CapturedLog.open()) {
            assertThat(aggregator.refresh().join().status()).isEqualTo(HealthStatus.HEALTHY);
            database.set(HealthCheckResult.down("down"));
            assertThat(aggregator.refresh().join().status()).isEqualTo(HealthStatus.UNHEALTHY);
            database.set(HealthCheckResult.degraded("open"));
            assertThat(aggregator.refresh().join().status()).isEqualTo(HealthStatus.DEGRADED);
            aggregator.refresh().join();   // no change: no event
            assertThat(log.linesContaining("failed on")).hasSize(6);
            assertThat(log.linesContaining("failed on").get(0)).contains(
                    "WARN io.generalbots.scaling.event.EventPublisher - health aggregator: listener ")
                    .endsWith(" failed on CheckChanged[check=database, from=HealthCheckResult[status=DOWN, "
                            + "word=pending, details={}], to=HealthCheckResult[status=UP, word=ok, details={}]]");
        }
        assertThat(heard).containsExactly(
                new HealthEvent.CheckChanged("database", HealthCheckResult.down("pending"), HealthCheckResult.up()),
                new HealthEvent.StatusChanged(HealthStatus.UNHEALTHY, HealthStatus.HEALTHY),
                new HealthEvent.CheckChanged("database", HealthCheckResult.up(), HealthCheckResult.down("down")),
                new HealthEvent.StatusChanged(HealthStatus.HEALTHY, HealthStatus.UNHEALTHY),
                new HealthEvent.CheckChanged("database", HealthCheckResult.down("down"), HealthCheckResult.degraded("open")),
                new HealthEvent.StatusChanged(HealthStatus.UNHEALTHY, HealthStatus.DEGRADED));
    }

    @Test
    void aRemovedListenerHearsNoMoreChanges() {
        java.util.List<HealthEvent> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        io.generalbots.scaling.event.EventListener<HealthEvent> listener = heard::add;
        aggregator = builder().check("llm", HealthCheckResult::up, false).build();
        aggregator.addListener(listener);
        assertThat(aggregator.removeListener(listener)).isTrue();
        aggregator.refresh().join();
        assertThat(heard).isEmpty();
    }

    @Test
    void disabledRunsNoCheckAndReportsHealthyWithNoChecks() {
        AtomicInteger ran = new AtomicInteger();
        HealthAggregatorSettings off = HealthAggregatorSettings.from(BotConfig.parse("config.csv", "health-enabled,false"));
        try (CapturedLog log = CapturedLog.open()) {
            aggregator = HealthAggregator.custom(off).ticker(ticker).hostMetrics(FIXED).version("6.1.0")
                    .connections(() -> 3).check("database", () -> {
                        ran.incrementAndGet();
                        return HealthCheckResult.down("down");
                    }).build();
            assertThat(log.linesContaining("HealthAggregator")).containsExactly("[main] INFO "
                    + "io.generalbots.failover.health.HealthAggregator - health checks are disabled "
                    + "(health-enabled,false): no check runs and the report is always healthy with no checks");
        }
        assertThat(aggregator.isEnabled()).isFalse();
        assertThat(aggregator.start()).isSameAs(aggregator);
        ticker.advance(Duration.ofSeconds(5));
        String json = "{\"status\":\"healthy\",\"version\":\"6.1.0\",\"uptime\":5,\"checks\":{},"
                + "\"metrics\":{\"cpu\":0.0,\"memory\":0.0,\"connections\":3}}";
        assertThat(aggregator.refresh().join().toJson()).isEqualTo(json);
        assertThat(aggregator.report().toJson()).isEqualTo(json);
        assertThat(aggregator.results()).isEmpty();
        assertThat(ran.get()).as("no check ever runs").isZero();
        aggregator.close();
        try (HealthAggregator on = HealthAggregator.custom(HealthAggregatorSettings.from(BotConfig.ofDefaults())).build()) {
            assertThat(on.isEnabled()).as("health-enabled defaults to true").isTrue();
        }
    }

    @Test
    void settingsComeFromTheConfigFile() {
        HealthAggregatorSettings s = HealthAggregatorSettings.from(BotConfig.parse("config.csv",
                "health-critical-checks,database,cache\nhealth-timeout,2\nhealth-retries,1"));
        assertThat(s.criticalChecks()).containsExactlyInAnyOrder("database", "cache");
        assertThat(s.health().timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(HealthAggregatorSettings.from(BotConfig.ofDefaults()).criticalChecks()).containsExactly("database");
        assertThatThrownBy(() -> HealthAggregatorSettings.from(BotConfig.parse("config.csv",
                "health-critical-checks,database,,cache"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("config.csv:1: health-critical-checks must be a comma-separated list without "
                        + "empty items, but was \"database,,cache\"");
    }

    @Test
    void badBuilderArgumentsAreNamed() {
        assertThatThrownBy(() -> builder().check("db", HealthCheckResult::up).check("db", HealthCheckResult::up))
                .hasMessage("check name must be unique, but \"db\" was added twice");
        assertThatThrownBy(() -> builder().retries(-1)).hasMessage("retries must be from 0 to 100, but was -1");
        assertThatThrownBy(() -> builder().timeout(Duration.ZERO)).hasMessage("timeout must be positive, but was PT0S");
        assertThatThrownBy(() -> builder().version(" ")).hasMessage("version must be non-blank, but was  ");
    }

    @Test
    void aCriticalCheckNameNoCheckHasIsAnErrorAtBuildNamingTheChecks() {
        HealthAggregatorSettings typo = HealthAggregatorSettings.from(BotConfig.parse("config.csv",
                "health-critical-checks,databse\n"));
        assertThatThrownBy(() -> HealthAggregator.custom(typo).check("llm", HealthCheckResult::up)
                .check("breakers", HealthCheckResult::up).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("health-critical-checks names databse, but no check has that name (the checks: [breakers, llm])");
        assertThatThrownBy(() -> builder().criticalChecks(Set.of("database", "cach", "qdrant"))
                .check("database", HealthCheckResult::up).build())
                .hasMessage("health-critical-checks names cach, qdrant, but no check has these names (the checks: [database])");
        // the default, database, is no error for a botserver without a database check
        HealthAggregator.custom(HealthAggregatorSettings.from(BotConfig.ofDefaults()))
                .check("llm", HealthCheckResult::up).build().close();
    }
}
