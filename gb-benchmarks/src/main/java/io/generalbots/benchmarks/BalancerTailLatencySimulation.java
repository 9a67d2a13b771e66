package io.generalbots.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

import io.generalbots.scaling.Ticker;
import io.generalbots.balance.Lease;
import io.generalbots.balance.LoadBalancer;
import io.generalbots.balance.LoadBalancerConfig;
import io.generalbots.balance.LoadBalancingPolicy;
import io.generalbots.scaling.config.HostAndPort;

/**
 * A discrete-event simulation of requests through the real {@link LoadBalancer} code on virtual
 * time: Poisson arrivals, upstreams with a latency distribution, one of them 20× slower (or
 * answering fast errors, which the client retries on a new pick, up to 3 tries). Deterministic
 * (fixed seed), so that the policies are compared on the same arrivals in the same run.
 */
public final class BalancerTailLatencySimulation {

    /** One policy's outcome. */
    public record Result(String policy, double p50Millis, double p99Millis, double errorShare, double slowShare) {
        @Override
        public String toString() {
            return String.format("%-22s p50 %7.2f ms  p99 %7.2f ms  first tries on the bad upstream %5.1f %%",
                    policy, p50Millis, p99Millis, 100 * Math.max(errorShare, slowShare));
        }
    }

    /** What is wrong with the bad upstream. */
    public enum Fault { SLOW_20X, FAST_ERRORS }

    private static final class VirtualTicker implements Ticker {
        long now;

        @Override
        public long read() {
            return now;
        }
    }

    private record Event(long at, int request, Lease lease, boolean error) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            return Long.compare(at, o.at);
        }
    }

    private BalancerTailLatencySimulation() {
    }

    /**
     * Runs one policy.
     *
     * @param name      the policy's label
     * @param config    the balancer configuration
     * @param fault     the bad upstream's fault
     * @param upstreams the number of upstreams (the first is the bad one)
     * @param requests  how many requests
     * @param seed      the random seed
     * @return the outcome
     */
    public static Result run(String name, LoadBalancerConfig config, Fault fault, int upstreams, int requests, long seed) {
        VirtualTicker ticker = new VirtualTicker();
        List<HostAndPort> list = new ArrayList<>();
        for (int i = 0; i < upstreams; i++) {
            list.add(new HostAndPort("10.0.0." + (i + 1), 8080));
        }
        HostAndPort bad = list.get(0);
        LoadBalancer lb = LoadBalancer.custom(name).config(config).ticker(ticker).upstreams(list).build();
        SplittableRandom random = new SplittableRandom(seed);
        long baseNanos = Duration.ofMillis(5).toNanos();
        double arrivalsPerNano = 1_000.0 / 1e9;     // 1,000 requests per second, ~5 in flight
        long[] start = new long[requests];
        long[] latency = new long[requests];
        int[] tries = new int[requests];
        int firstOnBad = 0;
        PriorityQueue<Event> events = new PriorityQueue<>();
        long t = 0;
        int arrived = 0;
        int done = 0;
        while (done < requests) {
            long nextArrival = arrived < requests ? t : Long.MAX_VALUE;
            if (!events.isEmpty() && events.peek().at() <= nextArrival) {
                Event e = events.poll();
                ticker.now = e.at();
                if (e.error()) {
                    e.lease().complete(503);
                    if (tries[e.request()] < 3) {
                        events.add(send(lb, ticker, random, e.request(), tries, bad, fault, baseNanos));
                        continue;
                    }
                } else {
                    e.lease().complete(200);
                }
                latency[e.request()] = e.at() - start[e.request()];
                done++;
            } else {
                ticker.now = t;
                start[arrived] = t;
                Event e = send(lb, ticker, random, arrived, tries, bad, fault, baseNanos);
                if (e.lease().address().equals(bad)) {
                    firstOnBad++;
                }
                events.add(e);
                arrived++;
                t += (long) (-Math.log(1 - random.nextDouble()) / arrivalsPerNano);
            }
        }
        long[] sorted = latency.clone();
        Arrays.sort(sorted);
        double share = (double) firstOnBad / requests;
        return new Result(name, sorted[requests / 2] / 1e6, sorted[(int) (requests * 0.99)] / 1e6,
                fault == Fault.FAST_ERRORS ? share : 0, fault == Fault.SLOW_20X ? share : 0);
    }

    private static Event send(LoadBalancer lb, VirtualTicker ticker, SplittableRandom random, int request, int[] tries,
                              HostAndPort bad, Fault fault, long baseNanos) {
        tries[request]++;
        Lease lease = lb.pick();
        boolean isBad = lease.address().equals(bad);
        double jitter = 0.5 + random.nextDouble();                 // 0.5x .. 1.5x
        long service;
        boolean error = false;
        if (isBad && fault == Fault.SLOW_20X) {
            service = (long) (baseNanos * 20 * jitter);
        } else if (isBad) {
            service = (long) (baseNanos * 0.05 * jitter);          // a fast 503
            error = true;
        } else {
            service = (long) (baseNanos * jitter);
        }
        return new Event(ticker.now + service, request, lease, error);
    }

    /**
     * The comparison of BENCHMARKS.md: round robin, least_conn and peak-EWMA P2C on the same
     * arrivals, with a 20× slower upstream and with one answering fast errors.
     *
     * @return the results, slow scenario first
     */
    public static List<Result> compare() {
        int n = 3;
        int requests = 200_000;
        List<Result> out = new ArrayList<>();
        for (Fault fault : Fault.values()) {
            out.add(run(fault + " round_robin", LoadBalancerConfig.custom().policy(LoadBalancingPolicy.roundRobin()).build(),
                    fault, n, requests, 7));
            out.add(run(fault + " least_conn", LoadBalancerConfig.custom().policy(LoadBalancingPolicy.leastConn()).build(),
                    fault, n, requests, 7));
            out.add(run(fault + " peak_ewma", LoadBalancerConfig.custom().policy(LoadBalancingPolicy.peakEwma()).build(),
                    fault, n, requests, 7));
            out.add(run(fault + " peak_ewma(no penalty)", LoadBalancerConfig.custom().policy(LoadBalancingPolicy.peakEwma())
                    .errorPenalty(Duration.ofNanos(1)).build(), fault, n, requests, 7));
        }
        return out;
    }

    /**
     * Prints the comparison.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        compare().forEach(System.out::println);
    }
}
