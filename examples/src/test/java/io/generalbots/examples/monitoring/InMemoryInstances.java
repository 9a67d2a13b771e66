package io.generalbots.examples.monitoring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.generalbots.autoscale.instance.Instance;
import io.generalbots.autoscale.instance.InstanceManager;
import io.generalbots.scaling.config.HostAndPort;

/** An instance manager that only keeps a list: launching adds an instance, destroying removes it. */
final class InMemoryInstances implements InstanceManager {

    private final Map<String, Instance> instances = new LinkedHashMap<>();
    private int next = 1;

    InMemoryInstances(int initial) {
        for (int i = 0; i < initial; i++) {
            launch();
        }
    }

    @Override
    public synchronized List<Instance> list() {
        return new ArrayList<>(instances.values());
    }

    @Override
    public synchronized Instance launch() {
        int n = next++;
        Instance i = new Instance("bot-" + n, new HostAndPort("127.0.0.1", 20000 + n), n);
        instances.put(i.id(), i);
        return i;
    }

    @Override
    public void drain(Instance instance) {
    }

    @Override
    public boolean isDrained(Instance instance) {
        return true;
    }

    @Override
    public synchronized void destroy(Instance instance) {
        instances.remove(instance.id());
    }
}
