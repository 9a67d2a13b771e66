package io.generalbots.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.generalbots.autoscale.instance.Instance;
import io.generalbots.autoscale.instance.InstanceManager;
import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.scaling.testing.Await;
import io.generalbots.scaling.testing.CapturedLog;
import io.generalbots.scaling.testing.ManualTicker;
import org.junit.jupiter.api.Test;

class AutoScalerTest {

    private final ManualTicker ticker = new ManualTicker();
    private final List<ScalingEvent> events = new ArrayList<>();
    private final List<String> log = new ArrayList<>();

    private ScalingSettings settings(String... extra) {
        Map<String, String> m = new java.util.HashMap<>(Map.of("scale-enabled", "true", "scale-max-instances", "10",
                "scale-cooldown-seconds", "300", "scale-check-interval", "30"));
        for (int i = 0; i < extra.length; i += 2) {
            m.put(extra[i], extra[i + 1]);
        }
        return ScalingSettings.from(BotConfig.of(m));
    }

    private AutoScaler scaler(ScalingSettings s, FakeManager manager, PushedMetricsSource source) {
        return AutoScaler.custom(s, manager, source).name("test").ticker(ticker).clock(ticker.clock())
                .leaderElection(LeaderElection.alone())
                .listener(events::add)
                .upstreamsListener(up -> log.add("upstreams " + up.stream().map(HostAndPort::toString).toList()))
                .build();
    }

    private PushedMetricsSource source() {
        return new PushedMetricsSource(Duration.ofSeconds(60), ticker);
    }

    private static void report(PushedMetricsSource source, FakeManager m, double cpu) {
        for (String id : m.instances.keySet()) {
            source.record(id, InstanceMetrics.cpu(cpu));
        }
    }

    @Test
    void scalesUpInProportionToHowFarCpuIsOverTheThreshold() {
        FakeManager m = new FakeManager(2);
        PushedMetricsSource src = source();
        AutoScaler scaler = scaler(settings(), m, src);
        report(src, m, 140);

        Recommendation rec = scaler.check().orElseThrow();

        assertThat(rec.desired()).isEqualTo(4);
        assertThat(rec.rule()).isEqualTo("scale-cpu-threshold");
        assertThat(rec.reason()).isEqualTo("avg cpu 140% > 70% on 2 ready: ceil(2 × 140 / 70) = 4");
        assertThat(m.instances).hasSize(4);
        assertThat(events).singleElement().isInstanceOfSatisfying(ScalingEvent.ScaledUp.class, e -> {
            assertThat(e.from()).isEqualTo(2);
            assertThat(e.to()).isEqualTo(4);
            assertThat(e.rule()).isEqualTo("scale-cpu-threshold");
            assertThat(e.scaler()).isEqualTo("test");
            assertThat(e.at()).isEqualTo(ticker.clock().instant());
        });
        assertThat(log).containsExactly("upstreams [10.0.0.1:8080, 10.0.0.2:8080, 10.0.0.3:8080, 10.0.0.4:8080]");
    }

    @Test
    void instancesStillStartingAreLeftOutOfAveragesAndNotLaunchedAgain() {
        FakeManager m = new FakeManager(2);
        PushedMetricsSource src = source();
        AutoScaler scaler = scaler(settings(), m, src);
        report(src, m, 105);
        scaler.check();
        assertThat(m.instances).hasSize(3);

        ticker.advance(Duration.ofSeconds(30));
        src.record("bot-1", InstanceMetrics.cpu(105));
        src.record("bot-2", InstanceMetrics.cpu(105));
        src.record("bot-3", InstanceMetrics.NOT_READY);
        Recommendation rec = scaler.check().orElseThrow();

        assertThat(rec.desired()).isEqualTo(3);
        assertThat(m.instances).hasSize(3);
        assertThat(events).hasSize(1);
    }

    @Test
    void missingMetricsNeverCauseAScaleDown() {
        FakeManager m = new FakeManager(4);
        PushedMetricsSource src = source();
        AutoScaler scaler = scaler(settings("scale-down-stabilization-seconds", "0", "scale-cooldown-seconds", "0"),
                m, src);
        src.record("bot-1", InstanceMetrics.cpu(5));
        src.record("bot-2", InstanceMetrics.cpu(5));
        src.record("bot-3", InstanceMetrics.cpu(5));

        Recommendation rec = scaler.check().orElseThrow();

        assertThat(rec.desired()).isEqualTo(4);
        assertThat(rec.reason()).endsWith("not lowered: 1 instance(s) starting or without metrics");
        assertThat(m.calls).isEmpty();

        ticker.advance(Duration.ofSeconds(90));
        assertThat(scaler.check().orElseThrow().reason()).isEqualTo("no ready instance reported metrics");
        assertThat(m.calls).isEmpty();
    }

    @Test
    void scaleDownWaitsForTheStabilizationWindowAndTakesItsHighestRecommendation() {
        FakeManager m = new FakeManager(6);
        PushedMetricsSource src = source();
        AutoScaler scaler = scaler(settings("scale-cooldown-seconds", "0"), m, src);
        for (int check = 0; check < 10; check++) {
            report(src, m, check == 2 ? 35 : 12);
            scaler.check();
            ticker.advance(Duration.ofSeconds(30));
        }
        assertThat(m.calls).isEmpty();

        report(src, m, 12);
        Recommendation rec = scaler.check().orElseThrow();

        // 12 % on 6 ready wants ceil(6 × 12 / (f × 70)) = 2 and 35 % 240 s ago wanted ceil(6 × 35 / (f × 70)) = 4,
        // whatever headroom f (0.8..0.95) the noise gives
        assertThat(rec.desired()).isEqualTo(2);
        assertThat(m.calls).containsExactly("drain bot-6", "drain bot-5");
        assertThat(events).singleElement().isInstanceOfSatisfying(ScalingEvent.ScaledDown.class, e -> {
            assertThat(e.from()).isEqualTo(6);
            assertThat(e.to()).isEqualTo(4);
            assertThat(e.reason()).endsWith("highest recommendation over 300 s: 4");
        });
    }

    @Test
    void removedInstancesLeaveTheProxyBeforeTheyDrainAndAreDestroyedOnceDrainedOrAtTheDeadline() {
        FakeManager m = new FakeManager(3);
        PushedMetricsSource src = source();
        AutoScaler scaler = scaler(settings("scale-down-stabilization-seconds", "0", "scale-cooldown-seconds", "0",
                "scale-drain-seconds", "60"), m, src);
        log.clear();
        report(src, m, 10);
        scaler.check();

        assertThat(log).containsExactly("upstreams [10.0.0.1:8080]");
        assertThat(m.calls).containsExactly("drain bot-3", "drain bot-2");
        assertThat(scaler.draining()).containsExactlyInAnyOrder("bot-2", "bot-3");

        m.drained.add("bot-3");
        ticker.advance(Duration.ofSeconds(30));
        src.record("bot-1", InstanceMetrics.cpu(30));
        scaler.check();
        assertThat(m.calls).endsWith("destroy bot-3");
        assertThat(m.instances.keySet()).containsExactly("bot-1", "bot-2");

        ticker.advance(Duration.ofSeconds(30));
        src.record("bot-1", InstanceMetrics.cpu(30));
        scaler.check();
        assertThat(m.calls).endsWith("destroy bot-2");
        assertThat(m.instances.keySet()).containsExactly("bot-1");
    }

    @Test
    void cooldownAfterAScaleDownHoldsAScaleUp() {
        FakeManager m = new FakeManager(3);
        PushedMetricsSource src = source();
        AutoScaler scaler = scaler(settings("scale-down-stabilization-seconds", "0", "scale-drain-seconds", "0"),
                m, src);
        report(src, m, 10);
        scaler.check();
        // no stabilization, no drain time: down to ceil(3 × 10 / 63) = 1 at once
        assertThat(m.instances).hasSize(1);
        assertThat(events).singleElement().isInstanceOf(ScalingEvent.ScaledDown.class);
        int afterDown = m.instances.size();

        ticker.advance(Duration.ofSeconds(30));
        report(src, m, 95);
        Recommendation rec = scaler.check().orElseThrow();
        assertThat(rec.desired()).isGreaterThan(afterDown);
        assertThat(m.calls).noneMatch(c -> c.startsWith("launch"));

        ticker.advance(Duration.ofSeconds(300));
        report(src, m, 95);
        scaler.check();
        assertThat(m.calls).anyMatch(c -> c.startsWith("launch"));
    }

    @Test
    void aFailedLaunchIsReportedKeepsStateConsistentAndIsRetriedAfterTheCooldown() {
        FakeManager m = new FakeManager(1);
        m.failLaunches = 1;
        PushedMetricsSource src = source();
        AutoScaler scaler = scaler(settings(), m, src);
        report(src, m, 100);
        scaler.check();

        assertThat(events).singleElement().isInstanceOfSatisfying(ScalingEvent.ScalingFailed.class, e -> {
            assertThat(e.operation()).isEqualTo("launch");
            assertThat(e.error()).isEqualTo("lxc launch botserver-9 failed with exit code 1: Error: image not found");
        });
        assertThat(m.instances).hasSize(1);

        ticker.advance(Duration.ofSeconds(30));
        report(src, m, 100);
        scaler.check();
        assertThat(m.launchAttempts).isEqualTo(1);

        ticker.advance(Duration.ofSeconds(300));
        report(src, m, 100);
        scaler.check();
        assertThat(m.launchAttempts).isEqualTo(2);
        assertThat(m.instances).hasSize(2);
        assertThat(events.get(1)).isInstanceOf(ScalingEvent.ScaledUp.class);
    }

    @Test
    void wantingMoreThanTheMaximumIsReportedOncePerEpisode() {
        FakeManager m = new FakeManager(3);
        PushedMetricsSource src = source();
        AutoScaler scaler = scaler(settings("scale-max-instances", "4"), m, src);
        report(src, m, 100);
        scaler.check();
        ticker.advance(Duration.ofSeconds(30));
        report(src, m, 100);
        scaler.check();

        assertThat(m.instances).hasSize(4);
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).isInstanceOf(ScalingEvent.ScaledUp.class);
        assertThat(events.get(1)).isInstanceOfSatisfying(ScalingEvent.MaxInstancesReached.class, e -> {
            assertThat(e.wanted()).isEqualTo(5);
            assertThat(e.max()).isEqualTo(4);
        });
    }

    @Test
    void aDisabledOrFollowingScalerDoesNothing() {
        FakeManager m = new FakeManager(1);
        PushedMetricsSource src = source();
        report(src, m, 100);
        assertThat(AutoScaler.custom(settings("scale-enabled", "false"), m, src).ticker(ticker).build().check())
                .isEmpty();
        LeaderElection follower = new LeaderElection() {
            @Override
            public boolean tryLead() {
                return false;
            }

            @Override
            public boolean stillLeads() {
                return false;
            }

            @Override
            public long fencingToken() {
                return 0;
            }

            @Override
            public void close() {
            }
        };
        assertThat(AutoScaler.custom(settings(), m, src).ticker(ticker).leaderElection(follower).build().check())
                .isEmpty();
        assertThat(m.calls).isEmpty();
    }

    @Test
    void aRisingTrendScalesUpBeforeTheThresholdIsCrossed() {
        FakeManager m = new FakeManager(4);
        PushedMetricsSource src = source();
        AutoScaler scaler = scaler(settings(), m, src);
        Recommendation rec = null;
        for (int check = 0; check < 10; check++) {
            report(src, m, 40 + 3 * check);
            rec = scaler.check().orElseThrow();
            ticker.advance(Duration.ofSeconds(30));
        }
        // 67 % now, rising 6 %/min: in 60 s boot + 30 s check it will be 76 %
        assertThat(rec.reason()).startsWith("avg forecast cpu 76% > 70%");
        assertThat(m.instances).hasSize(5);
    }

    @Test
    void aNoisyButSteadyRiseIsATrend() {
        FakeManager m = new FakeManager(4);
        PushedMetricsSource src = source();
        AutoScaler scaler = scaler(settings(), m, src);
        Recommendation rec = null;
        for (int check = 0; check < 10; check++) {
            // +2 % per check, ±3 % of noise: a least-squares fit has R² 0.76 only, under the 0.8 the forecast once required
            report(src, m, 50 + 2 * check + (check % 2 == 0 ? 3 : -3));
            rec = scaler.check().orElseThrow();
            ticker.advance(Duration.ofSeconds(30));
        }
        // 65 % now; the median slope is the trend's 2 % per check, the median level now 68 %: in 60 s boot
        // + 30 s check, 74 %
        assertThat(rec.reason()).isEqualTo("avg forecast cpu 74% > 70% on 4 ready: ceil(4 × 74 / 70) = 5");
        assertThat(m.instances).hasSize(5);
    }

    @Test
    void aStepOfTheLoadIsNoTrend() {
        FakeManager m = new FakeManager(4);
        PushedMetricsSource src = source();
        AutoScaler scaler = scaler(settings(), m, src);
        Recommendation rec = null;
        for (int check = 0; check < 10; check++) {
            report(src, m, check < 7 ? 40 : 65);
            rec = scaler.check().orElseThrow();
            ticker.advance(Duration.ofSeconds(30));
        }
        // 24 of the 45 pairs of checks do not rise: the median slope is 0, nothing is extrapolated
        assertThat(rec.reason()).isEqualTo("avg cpu 65% <= 70% on 4 ready: ceil(4 × 65 / 70) = 4, within tolerance: hold");
        assertThat(m.instances).hasSize(4);
    }

    @Test
    void concurrentChecksNeverExceedTheMaximum() throws Exception {
        FakeManager m = new FakeManager(1);
        PushedMetricsSource src = source();
        AutoScaler scaler = AutoScaler.custom(settings("scale-max-instances", "7", "scale-cooldown-seconds", "0"),
                m, new MetricsSource() {
                    @Override
                    public Map<String, InstanceMetrics> collect(List<Instance> list) {
                        Map<String, InstanceMetrics> out = new java.util.HashMap<>();
                        list.forEach(i -> out.put(i.id(), InstanceMetrics.cpu(100)));
                        return out;
                    }
                }).ticker(ticker).leaderElection(LeaderElection.alone()).build();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(new Thread(() -> {
                for (int i = 0; i < 200; i++) {
                    scaler.check();
                    ticker.advance(Duration.ofSeconds(1));
                    assertThat(m.instances.size()).isLessThanOrEqualTo(7);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(m.instances).hasSize(7);
        assertThat(m.launchAttempts).isEqualTo(6);
    }

    @Test
    void aThrowingListenerDoesNotBreakAScaleUpNorKeepTheOthersFromTheEvent() {
        FakeManager m = new FakeManager(2);
        PushedMetricsSource src = source();
        List<String> heard = new ArrayList<>();
        ScalingListener throwing = new ScalingListener() {
            @Override
            public void onEvent(ScalingEvent event) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void onCheck(int instances, Map<String, InstanceMetrics> metrics) {
                throw new IllegalStateException("listener bug on check");
            }

            @Override
            public String toString() {
                return "Throwing";
            }
        };
        AutoScaler scaler = AutoScaler.custom(settings(), m, src).name("test").ticker(ticker).clock(ticker.clock())
                .leaderElection(LeaderElection.alone()).listener(throwing).build();
        scaler.addListener(new ScalingListener() {
            @Override
            public void onEvent(ScalingEvent event) {
                heard.add(event.getClass().getSimpleName());
            }

            @Override
            public void onCheck(int instances, Map<String, InstanceMetrics> metrics) {
                heard.add("check " + instances);
            }
        });
        report(src, m, 140);

        try (CapturedLog log = CapturedLog.open()) {
            assertThat(scaler.check().orElseThrow().desired()).isEqualTo(4);

            assertThat(m.instances).hasSize(4);
            assertThat(heard).containsExactly("check 2", "ScaledUp");
            assertThat(log.linesContaining("WARN io.generalbots.scaling.event.EventPublisher - scaler test: listener "
                    + "Throwing failed on ")).hasSize(2);
        }
    }

    @Test
    void aRemovedListenerHearsNothingMore() {
        FakeManager m = new FakeManager(2);
        PushedMetricsSource src = source();
        List<String> heard = new ArrayList<>();
        ScalingListener listener = new ScalingListener() {
            @Override
            public void onEvent(ScalingEvent event) {
                heard.add("event");
            }

            @Override
            public void onCheck(int instances, Map<String, InstanceMetrics> metrics) {
                heard.add("check");
            }
        };
        AutoScaler scaler = AutoScaler.custom(settings(), m, src).ticker(ticker)
                .leaderElection(LeaderElection.alone()).build();
        scaler.addListener(listener);
        assertThat(scaler.removeListener(listener)).isTrue();
        assertThat(scaler.removeListener(listener)).isFalse();
        report(src, m, 140);
        scaler.check();
        assertThat(m.instances).hasSize(4);
        assertThat(heard).isEmpty();
    }

    @Test
    void aDisabledScalerSaysSoOnceWhenBuilt() {
        FakeManager m = new FakeManager(1);
        try (CapturedLog log = CapturedLog.open()) {
            AutoScaler scaler = AutoScaler.custom(settings("scale-enabled", "false"), m, source()).build();
            scaler.check();
            scaler.check();
            assertThat(log.linesContaining("disabled")).containsExactly("[main] INFO io.generalbots.autoscale.AutoScaler"
                    + " - scaler botserver is disabled (scale-enabled,false): a check does nothing, no election runs"
                    + " and no instance is launched or removed");
        }
        try (CapturedLog log = CapturedLog.open()) {
            AutoScaler.custom(settings(), m, source()).leaderElection(LeaderElection.alone()).build();
            assertThat(log.linesContaining("disabled")).isEmpty();
        }
    }

    @Test
    void checksWaitForEachOtherWhileOneIsInTheInstanceManager() throws Exception {
        FakeManager m = new FakeManager(1);
        CountDownLatch inLaunch = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        InstanceManager slow = new InstanceManager() {
            @Override
            public List<Instance> list() {
                return m.list();
            }

            @Override
            public Instance launch() {
                inLaunch.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return m.launch();
            }

            @Override
            public void drain(Instance instance) {
                m.drain(instance);
            }

            @Override
            public boolean isDrained(Instance instance) {
                return m.isDrained(instance);
            }

            @Override
            public void destroy(Instance instance) {
                m.destroy(instance);
            }
        };
        PushedMetricsSource src = source();
        AutoScaler scaler = AutoScaler.custom(settings("scale-max-instances", "2"), slow, src).ticker(ticker)
                .leaderElection(LeaderElection.alone()).build();
        report(src, m, 100);
        Thread first = new Thread(scaler::check);
        first.start();
        assertThat(inLaunch.await(10, TimeUnit.SECONDS)).isTrue();
        List<Optional<Recommendation>> seconds = new CopyOnWriteArrayList<>();
        Thread second = new Thread(() -> seconds.add(scaler.check()));
        second.start();
        // parked on the scaler's lock (or, were checks not serialized, in the launch, and it would launch too)
        Await.until("the second check waits", Duration.ofSeconds(10), () -> second.getState() == Thread.State.WAITING);
        release.countDown();
        first.join();
        second.join();
        assertThat(seconds).singleElement().satisfies(r -> assertThat(r).isPresent());
        assertThat(m.launchAttempts).isEqualTo(1);
        assertThat(m.instances).hasSize(2);
    }
}
