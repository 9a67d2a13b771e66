package io.generalbots.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.generalbots.balance.Lease;
import io.generalbots.balance.LoadBalancer;
import io.generalbots.balance.LoadBalancerConfig;
import io.generalbots.balance.LoadBalancingPolicy;
import io.generalbots.balance.PickRequest;
import io.generalbots.scaling.config.HostAndPort;

/**
 * The cost of one pick plus its completion (lease closed) per policy, with 3 and 100 upstreams,
 * single-threaded. {@code ip_hash} rotates over 1,024 client addresses; {@code cookie} sends a
 * valid cookie (the sticky path, the common one).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BalancerPickBenchmark {

    @Param({"round_robin", "first", "least_conn", "ip_hash", "cookie", "random", "random_choose_2", "peak_ewma"})
    public String policy;

    @Param({"3", "100"})
    public int upstreams;

    private LoadBalancer balancer;
    private PickRequest[] requests;
    private int next;

    @Setup
    public void setUp() {
        LoadBalancingPolicy p;
        switch (policy) {
            case "round_robin": p = LoadBalancingPolicy.roundRobin(); break;
            case "first": p = LoadBalancingPolicy.first(); break;
            case "least_conn": p = LoadBalancingPolicy.leastConn(); break;
            case "ip_hash": p = LoadBalancingPolicy.ipHash(); break;
            case "cookie": p = LoadBalancingPolicy.cookie("secret"); break;
            case "random": p = LoadBalancingPolicy.random(); break;
            case "random_choose_2": p = LoadBalancingPolicy.randomChoose(2); break;
            case "peak_ewma": p = LoadBalancingPolicy.peakEwma(); break;
            default: throw new IllegalArgumentException(policy);
        }
        List<HostAndPort> list = new ArrayList<>();
        for (int i = 0; i < upstreams; i++) {
            list.add(new HostAndPort("10.0." + (i / 250) + "." + (i % 250 + 1), 8080));
        }
        balancer = LoadBalancer.custom("bench").config(LoadBalancerConfig.custom().policy(p)
                .failDuration(java.time.Duration.ofSeconds(30)).build()).upstreams(list).build();
        String cookie = null;
        if (policy.equals("cookie")) {
            try (Lease lease = balancer.pick()) {
                String set = lease.setCookie().orElseThrow();
                cookie = set.substring(set.indexOf('=') + 1, set.indexOf(';'));
            }
        }
        requests = new PickRequest[1024];
        for (int i = 0; i < requests.length; i++) {
            requests[i] = new PickRequest("192.168." + (i >> 8) + "." + (i & 255), cookie);
        }
    }

    @Benchmark
    public Object pick() {
        PickRequest r = requests[next++ & 1023];
        Lease lease = balancer.pick(r);
        lease.complete(200);
        return lease.upstream();
    }
}
