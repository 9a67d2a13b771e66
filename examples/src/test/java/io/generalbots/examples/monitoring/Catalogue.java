package io.generalbots.examples.monitoring;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.TreeSet;

import io.generalbots.autoscale.AutoScaler;
import io.generalbots.autoscale.InstanceMetrics;
import io.generalbots.autoscale.LeaderElection;
import io.generalbots.autoscale.PushedMetricsSource;
import io.generalbots.autoscale.ScalingMetrics;
import io.generalbots.autoscale.ScalingSettings;
import io.generalbots.autoscale.instance.Instance;
import io.generalbots.autoscale.serving.BotInstance;
import io.generalbots.autoscale.serving.BotInstanceMetrics;
import io.generalbots.autoscale.serving.InstanceConfig;
import io.generalbots.balance.Lease;
import io.generalbots.balance.LoadBalancer;
import io.generalbots.balance.LoadBalancerMetrics;
import io.generalbots.failover.breaker.BreakerMetrics;
import io.generalbots.failover.breaker.BreakerRegistry;
import io.generalbots.failover.health.HealthAggregator;
import io.generalbots.failover.health.HealthMetrics;
import io.generalbots.failover.postgres.FailoverDataSource;
import io.generalbots.failover.postgres.PostgresFailoverConfig;
import io.generalbots.failover.postgres.PostgresFailoverMetrics;
import io.generalbots.failover.postgres.PrimaryDiscoveryMode;
import io.generalbots.ratelimit.LocalRateLimiter;
import io.generalbots.ratelimit.RateLimitConfig;
import io.generalbots.ratelimit.RateLimitMetrics;
import io.generalbots.ratelimit.RedisRateLimiter;
import io.generalbots.scaling.Ticker;
import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.scaling.health.HealthCheckResult;
import io.generalbots.scaling.testing.FreePorts;
import io.generalbots.sharding.ShardBalanceMetrics;
import io.generalbots.sharding.ShardBalanceMonitor;
import io.generalbots.sharding.ShardSettings;
import io.generalbots.sharding.ShardedDataSource;
import io.generalbots.sharding.ShardedDataSourceMetrics;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * One component of every kind, built without any server, each with its MeterBinder bound to one
 * Prometheus registry: the whole catalogue of meters in one scrape.
 */
final class Catalogue implements AutoCloseable {

    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<AutoCloseable> closing = new ArrayList<>();

    @SuppressWarnings("unchecked")
    Catalogue() {
        RateLimitConfig limits = RateLimitConfig.custom().endpoint("chat", 30).build();
        LocalRateLimiter local = LocalRateLimiter.custom(limits).name("api").build();
        RateLimitMetrics.of(local).bindTo(registry);
        local.decide("client", "chat");
        // a Redis limiter on commands that answer only its warm-up (the script load and one probe,
        // which the probe's bucket denies): its meters exist before any decision
        String sha = "0000000000000000000000000000000000000000";
        RedisScriptingAsyncCommands<String, String> commands = (RedisScriptingAsyncCommands<String, String>)
                Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {RedisScriptingAsyncCommands.class},
                        (proxy, method, args) -> switch (method.getName()) {
                            case "digest" -> sha;
                            case "scriptLoad" -> answered(sha);
                            case "evalsha" -> answered(List.of(0L, 0L, 0L));
                            default -> throw new UnsupportedOperationException(method.getName());
                        });
        RedisRateLimiter redis = RedisRateLimiter.custom(limits).name("gbrl").commands(commands).build();
        RateLimitMetrics.of(redis).bindTo(registry);

        BreakerRegistry breakers = BreakerRegistry.ofDefaults();
        BreakerMetrics.of(breakers).bindTo(registry);
        breakers.breaker("llm").get(() -> "ok");

        HealthAggregator health = HealthAggregator.custom().check("database", HealthCheckResult::up).build();
        closing.add(health);
        HealthMetrics.of(health).bindTo(registry);
        health.refresh().join();

        LoadBalancer balancer = LoadBalancer.custom("llm").upstreams(List.of(new HostAndPort("127.0.0.1", 9))).build();
        closing.add(balancer);
        LoadBalancerMetrics.of(balancer).bindTo(registry);
        try (Lease lease = balancer.pick()) {
            lease.status(200);
        }

        InMemoryInstances instances = new InMemoryInstances(2);
        PushedMetricsSource source = new PushedMetricsSource(Duration.ofMinutes(1), Ticker.system());
        AutoScaler scaler = AutoScaler.custom(ScalingSettings.from(BotConfig.of(Map.of("scale-enabled", "true",
                "scale-max-instances", "3"))), instances, source).name("bot").leaderElection(LeaderElection.alone()).build();
        ScalingMetrics.of(scaler).bindTo(registry);
        for (Instance i : instances.list()) {
            source.record(i.id(), new InstanceMetrics(true, 50, 40, 600, 120, 2));
        }
        scaler.check();

        BotInstance instance = BotInstance.of(InstanceConfig.custom().name("bot-1").queueDepth(() -> 0).build());
        BotInstanceMetrics.of(instance).serviceLevelObjectives(Duration.ofSeconds(2)).bindTo(registry);
        instance.admit().end(200);

        int closedPort = FreePorts.find();
        ShardedDataSource shards = ShardedDataSource.custom(ShardSettings.from(BotConfig.parse("config.csv",
                "shard-strategy,hash\nshard-count,2\nshard-url-template,jdbc:postgresql://127.0.0.1:" + closedPort
                        + "/{database}\n"))).build();
        closing.add(shards);
        ShardedDataSourceMetrics.of(shards).bindTo(registry);
        ShardBalanceMetrics.of(new ShardBalanceMonitor(shards, "messages", 1.5)).bindTo(registry);

        FailoverDataSource db = FailoverDataSource.of(PostgresFailoverConfig.custom().name("botserver")
                .hosts(List.of(new HostAndPort("127.0.0.1", closedPort))).discovery(PrimaryDiscoveryMode.MULTIHOST)
                .checkInterval(Duration.ZERO).minimumIdle(0).build());
        closing.add(db);
        PostgresFailoverMetrics.of(db).bindTo(registry);
    }

    /** A Lettuce future already completed with a value. */
    private static Object answered(Object value) {
        CompletableFuture<Object> done = CompletableFuture.completedFuture(value);
        return Proxy.newProxyInstance(Catalogue.class.getClassLoader(), new Class<?>[] {RedisFuture.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getError" -> null;
                    case "await" -> true;
                    default -> method.invoke(done, args);
                });
    }

    /**
     * The sample names of the scrape (metric name before any label), e.g. {@code gb_health_status}
     * and {@code resilience4j_circuitbreaker_calls_seconds_count}.
     *
     * @return the names
     */
    Set<String> sampleNames() {
        return sampleNames(registry.scrape());
    }

    static Set<String> sampleNames(String scrape) {
        Set<String> names = new TreeSet<>();
        scrape.lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
                .forEach(l -> names.add(l.split("[{ ]", 2)[0]));
        return names;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        registry.close();
    }
}
