package io.generalbots.examples;

import java.util.List;

/**
 * The features of the demo, in the order they are installed and toured. Chat decorators wrap the
 * ones installed before them: sharding comes after failover so that the shard is chosen from the
 * user of the request, outside the LLM call (whose provider sees only the prompt). Metrics come
 * last, so that their tour shows what the others did.
 */
final class DemoFeatures {

    private DemoFeatures() {
    }

    static List<DemoFeature> all() {
        return List.of(
                new BasicFeature(),
                new QdrantFeature(),
                new RateLimitFeature(),
                new FailoverFeature(),
                new ShardingFeature(),
                new BalancingFeature(),
                new InstanceFeature(),
                new ScalingFeature(),
                new MetricsFeature());
    }
}
