package io.generalbots.failover.postgres;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Measures failover as the application sees it, over several runs on one cluster: the time from
 * killing the primary to the first write acknowledged through {@link FailoverDataSource} by the
 * new primary, beside the promotion time in the same run (Patroni: until the survivor answers 200
 * on {@code /primary}; multihost: until {@code pg_ctl promote -w} returns, started right after the
 * kill). Must run as root (it starts PostgreSQL, Patroni and etcd as postgres).
 *
 * <pre>
 * java -cp ... io.generalbots.failover.postgres.PostgresFailoverBenchmark patroni 5
 * java -cp ... io.generalbots.failover.postgres.PostgresFailoverBenchmark multihost 5
 * </pre>
 * (the exact command is in BENCHMARKS.md).
 */
public final class PostgresFailoverBenchmark {

    private PostgresFailoverBenchmark() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args {@code patroni|multihost [runs]}
     * @throws Exception when a run fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1 || !List.of("patroni", "multihost").contains(args[0])) {
            System.err.println("usage: PostgresFailoverBenchmark patroni|multihost [runs]");
            System.exit(2);
        }
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<FailoverScenarios.Run> results = args[0].equals("patroni") ? patroni(runs) : multihost(runs);
        System.out.println();
        for (FailoverScenarios.Run r : results) {
            System.out.println(r);
        }
        System.out.println(summary(args[0], results));
        System.exit(0);
    }

    private static List<FailoverScenarios.Run> patroni(int runs) throws Exception {
        List<FailoverScenarios.Run> out = new ArrayList<>();
        try (PatroniCluster cluster = PatroniCluster.start(2, false)) {
            FailoverLoad.createTable(cluster.postgres(cluster.leader()));
            try (FailoverDataSource db = FailoverDataSource.of(PostgresFailoverConfig.custom()
                    .name("bench-patroni").discovery(PrimaryDiscoveryMode.PATRONI).hosts(cluster.postgresHosts())
                    .patroniEndpoints(cluster.apiEndpoints()).patroniTimeout(Duration.ofSeconds(1))
                    .checkInterval(Duration.ofSeconds(1)).retryTimeout(Duration.ofSeconds(60))
                    .credentials("postgres", null).maximumPoolSize(4).minimumIdle(1)
                    .connectionTimeout(Duration.ofSeconds(2)).build())) {
                for (int i = 0; i < runs; i++) {
                    int old = cluster.leader();
                    FailoverScenarios.Run r = FailoverScenarios.patroniKill(cluster, db, false, 1_000_000L * (i + 1));
                    System.out.println("run " + (i + 1) + ": " + r);
                    out.add(r);
                    cluster.restart(old);
                }
            }
        }
        return out;
    }

    private static List<FailoverScenarios.Run> multihost(int runs) throws Exception {
        List<FailoverScenarios.Run> out = new ArrayList<>();
        try (StreamingPair pair = StreamingPair.start()) {
            FailoverLoad.createTable(pair.postgres(0));
            try (FailoverDataSource db = FailoverDataSource.of(PostgresFailoverConfig.custom()
                    .name("bench-multihost").discovery(PrimaryDiscoveryMode.MULTIHOST).hosts(pair.hosts())
                    .checkInterval(Duration.ofSeconds(1)).retryTimeout(Duration.ofSeconds(60))
                    .credentials("postgres", null).maximumPoolSize(4).minimumIdle(1)
                    .connectionTimeout(Duration.ofSeconds(2)).build())) {
                int primary = 0;
                for (int i = 0; i < runs; i++) {
                    FailoverScenarios.Run r = FailoverScenarios.multihostKill(pair, primary, db, false, 1_000_000L * (i + 1));
                    System.out.println("run " + (i + 1) + ": " + r);
                    out.add(r);
                    pair.makeStandby(primary, 1 - primary);
                    primary = 1 - primary;
                }
            }
        }
        return out;
    }

    static String summary(String mode, List<FailoverScenarios.Run> runs) {
        return mode + " over " + runs.size() + " runs: first write through the library after the kill median "
                + median(runs, FailoverScenarios.Run::resumeMs) + " ms, max " + max(runs, FailoverScenarios.Run::resumeMs)
                + " ms; promotion median " + median(runs, FailoverScenarios.Run::promotionMs) + " ms, max "
                + max(runs, FailoverScenarios.Run::promotionMs) + " ms; library delay after promotion median "
                + median(runs, r -> r.resumeMs() - r.promotionMs()) + " ms, max "
                + max(runs, r -> r.resumeMs() - r.promotionMs()) + " ms; lost acknowledged writes "
                + runs.stream().mapToInt(FailoverScenarios.Run::lost).sum();
    }

    private static long median(List<FailoverScenarios.Run> runs, ToLongFunction<FailoverScenarios.Run> f) {
        long[] v = runs.stream().mapToLong(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static long max(List<FailoverScenarios.Run> runs, ToLongFunction<FailoverScenarios.Run> f) {
        return runs.stream().mapToLong(f).max().orElse(0);
    }
}
