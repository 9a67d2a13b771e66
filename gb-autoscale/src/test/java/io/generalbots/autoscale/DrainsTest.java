package io.generalbots.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.generalbots.autoscale.instance.Instance;
import io.generalbots.autoscale.instance.InstanceException;
import io.generalbots.autoscale.instance.InstanceManager;
import org.junit.jupiter.api.Test;

class DrainsTest {

    private final FakeManager manager = new FakeManager(4);
    private final List<String> failures = new ArrayList<>();
    private final Drains drains = new Drains("test", manager,
            (operation, instance, e) -> failures.add(operation + " " + instance + ": " + e.getMessage()));

    private Instance instance(String id) {
        return manager.instances.get(id);
    }

    @Test
    void victimsAreTheNotReadyFirstThenTheNewest() {
        List<Instance> all = manager.list();
        Map<String, InstanceMetrics> metrics = Map.of("bot-1", InstanceMetrics.cpu(50), "bot-2", InstanceMetrics.cpu(50),
                "bot-4", InstanceMetrics.cpu(50));   // bot-3 has not reported: not ready
        assertThat(Drains.victims(all, metrics, 2)).extracting(Instance::id).containsExactly("bot-3", "bot-4");
        assertThat(Drains.victims(all, metrics, 0)).isEmpty();
    }

    @Test
    void aVictimIsDestroyedOnceDrained() {
        drains.begin(List.of(instance("bot-4")), 100);
        assertThat(manager.calls).containsExactly("drain bot-4");
        assertThat(drains.ids()).containsExactly("bot-4");
        assertThat(drains.contains("bot-4")).isTrue();

        assertThat(drains.finishAll(manager.list(), 50)).isEmpty();   // still draining
        manager.drained.add("bot-4");
        assertThat(drains.finishAll(manager.list(), 60)).containsExactly("bot-4");
        assertThat(manager.calls).containsExactly("drain bot-4", "destroy bot-4");
        assertThat(drains.ids()).isEmpty();
    }

    @Test
    void aVictimThatDoesNotDrainIsDestroyedAtItsDeadline() {
        drains.begin(List.of(instance("bot-3"), instance("bot-4")), 100);
        drains.finish(List.of(instance("bot-3"), instance("bot-4")), 0);   // not drained, before the deadline
        assertThat(manager.calls).containsExactly("drain bot-3", "drain bot-4");
        assertThat(drains.finishAll(manager.list(), 99)).isEmpty();
        assertThat(drains.finishAll(manager.list(), 100)).containsExactlyInAnyOrder("bot-3", "bot-4");
        assertThat(manager.instances).containsOnlyKeys("bot-1", "bot-2");
    }

    @Test
    void anInstanceDrainedAtOnceIsDestroyedByFinish() {
        manager.drained.add("bot-4");
        drains.begin(List.of(instance("bot-4")), 100);
        drains.finish(List.of(instance("bot-4"), instance("bot-1")), 0);
        assertThat(manager.calls).containsExactly("drain bot-4", "destroy bot-4");
    }

    @Test
    void instancesThatVanishedAreForgotten() {
        drains.begin(List.of(instance("bot-4")), 100);
        manager.instances.remove("bot-4");
        assertThat(drains.finishAll(manager.list(), 200)).isEmpty();
        assertThat(drains.ids()).isEmpty();
        assertThat(manager.calls).containsExactly("drain bot-4");
    }

    @Test
    void failedCallsAreReportedAndADestroyIsTriedAgain() {
        FakeManager failing = new FakeManager(2);
        int[] destroys = {0};
        InstanceManager flaky = new InstanceManager() {
            @Override
            public List<Instance> list() {
                return failing.list();
            }

            @Override
            public Instance launch() {
                return failing.launch();
            }

            @Override
            public void drain(Instance instance) {
                throw new InstanceException("no control endpoint");
            }

            @Override
            public boolean isDrained(Instance instance) {
                return false;
            }

            @Override
            public void destroy(Instance instance) {
                if (destroys[0]++ == 0) {
                    throw new InstanceException("lxc delete failed");
                }
                failing.destroy(instance);
            }
        };
        Drains d = new Drains("test", flaky,
                (operation, instance, e) -> failures.add(operation + " " + instance + ": " + e.getMessage()));
        d.begin(List.of(failing.instances.get("bot-2")), 100);
        assertThat(d.ids()).as("still drained by its deadline").containsExactly("bot-2");

        assertThat(d.finishAll(failing.list(), 100)).isEmpty();
        assertThat(d.finishAll(failing.list(), 130)).containsExactly("bot-2");
        assertThat(failures).containsExactly("drain bot-2: no control endpoint", "destroy bot-2: lxc delete failed");
        assertThat(failing.instances).containsOnlyKeys("bot-1");
    }
}
