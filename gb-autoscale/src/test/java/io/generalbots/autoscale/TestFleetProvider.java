package io.generalbots.autoscale;

import static org.mockito.Mockito.spy;

import io.generalbots.autoscale.instance.InstanceManager;
import io.generalbots.autoscale.instance.InstanceManagerProvider;

/**
 * An instance manager of a test's own, found by ServiceLoader: an in-memory fleet of two instances.
 * The manager is a Mockito spy, so that tests verify how the scaler calls a plug-in.
 */
public final class TestFleetProvider implements InstanceManagerProvider {

    static volatile ScalingSettings lastSettings;
    static volatile FakeManager lastManager;

    @Override
    public String name() {
        return "test-fleet";
    }

    @Override
    public InstanceManager manager(ScalingSettings settings) {
        lastSettings = settings;
        lastManager = spy(new FakeManager(2));
        return lastManager;
    }
}
