package io.generalbots.autoscale;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.autoscale.instance.Instance;
import io.generalbots.autoscale.instance.InstanceException;
import io.generalbots.autoscale.instance.InstanceManager;

/** An in-memory instance manager recording every call, with switchable failures. */
final class FakeManager implements InstanceManager {
    final Map<String, Instance> instances = new LinkedHashMap<>();
    final List<String> calls = new ArrayList<>();
    final java.util.Set<String> drained = new java.util.HashSet<>();
    final AtomicInteger next = new AtomicInteger(1);
    int failLaunches;
    int launchAttempts;

    FakeManager(int initial) {
        for (int i = 0; i < initial; i++) {
            add();
        }
    }

    Instance add() {
        int n = next.getAndIncrement();
        Instance i = new Instance("bot-" + n, new HostAndPort("10.0.0." + n, 8080), n);
        instances.put(i.id(), i);
        return i;
    }

    @Override
    public synchronized List<Instance> list() {
        return new ArrayList<>(instances.values());
    }

    @Override
    public synchronized Instance launch() {
        launchAttempts++;
        if (failLaunches > 0) {
            failLaunches--;
            calls.add("launch failed");
            throw new InstanceException("lxc launch botserver-9 failed with exit code 1: Error: image not found");
        }
        Instance i = add();
        calls.add("launch " + i.id());
        return i;
    }

    @Override
    public synchronized void drain(Instance instance) {
        calls.add("drain " + instance.id());
    }

    @Override
    public synchronized boolean isDrained(Instance instance) {
        return drained.contains(instance.id());
    }

    @Override
    public synchronized void destroy(Instance instance) {
        calls.add("destroy " + instance.id());
        instances.remove(instance.id());
    }
}
