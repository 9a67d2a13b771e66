/**
 * The demo botserver ({@code scripts/demo}) on the JDK HttpServer: each module's shortest real use
 * in a running server is one {@link io.generalbots.examples.DemoFeature} class
 * ({@code ShardingFeature}, {@code QdrantFeature}, {@code RateLimitFeature}, {@code FailoverFeature},
 * {@code BalancingFeature}, {@code ScalingFeature}).
 */
package io.generalbots.examples;
