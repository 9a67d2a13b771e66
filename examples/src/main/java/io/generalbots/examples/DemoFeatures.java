package io.generalbots.examples;

import java.util.List;

/** The features of the demo, in the order they are installed and toured. */
final class DemoFeatures {

    private DemoFeatures() {
    }

    static List<DemoFeature> all() {
        return List.of(
                new BasicFeature(),
                new ShardingFeature(),
                new QdrantFeature(),
                new RateLimitFeature(),
                new FailoverFeature(),
                new BalancingFeature(),
                new ScalingFeature());
    }
}
