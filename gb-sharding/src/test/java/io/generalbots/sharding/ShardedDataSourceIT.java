package io.generalbots.sharding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.event.EventListener;
import io.generalbots.scaling.testing.Await;
import io.generalbots.scaling.testing.FreePorts;
import io.generalbots.scaling.testing.TestPostgres;
import io.generalbots.scaling.testing.RecordingThreadFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

/** ShardedDataSource on the real PostgreSQL of scripts/test; databases are named gbshard_*. */
class ShardedDataSourceIT {

    private static final String HOST = TestPostgres.host() + ":" + TestPostgres.port();

    private static ShardSettings settings(String csv) {
        return ShardSettings.from(BotConfig.parse("test.csv", csv));
    }

    private static ShardedDataSource open(ShardSettings s, EventListener<ShardPoolEvent> listener) {
        return ShardedDataSource.custom(s).credentials(TestPostgres.user(), TestPostgres.password())
                .listener(listener).build();
    }

    private static ShardedDataSource open(ShardSettings s) {
        return ShardedDataSource.custom(s).credentials(TestPostgres.user(), TestPostgres.password()).build();
    }

    private static String query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static int serverConnections(Connection admin, String appPrefix) throws SQLException {
        try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE '" + appPrefix + "%'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void aThousandTenantsThroughABudgetOfTwentyNeverHoldMoreThanTwenty() throws Exception {
        TestPostgres.recreateDatabase("gbshard_budget");
        // every tenant pool reaches the same database, named after its tenant: what is tested is
        // the budget, without creating 1,000 databases
        ShardSettings s = settings("shard-strategy,tenant\nshard-tenant-db-prefix,gbshard_b_\n"
                + "shard-url-template,jdbc:postgresql://" + HOST + "/gbshard_budget?ApplicationName=gbshard-b {database}\n"
                + "shard-pool-size,2\nshard-connection-budget,20\nshard-connect-timeout,10\n");
        AtomicInteger evicted = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong served = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try (ShardedDataSource shards = open(s, event -> {
                    if (event instanceof ShardPoolEvent.PoolEvicted) {
                        evicted.incrementAndGet();
                    }
                });
             Connection admin = TestPostgres.connect("postgres")) {
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            ShardedDataSourceMetrics.of(shards).bindTo(meters);
            int metersBefore = meters.getMeters().size();
            assertThat(shards.maxPools()).isEqualTo(10);
            Future<?> watcher = pool.submit(() -> {
                while (!done.get()) {
                    peak.accumulateAndGet(serverConnections(admin, "gbshard-b "), Math::max);
                }
                return null;
            });
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int offset = w;
                workers.add(pool.submit(() -> {
                    for (int i = offset; i < 1000; i += 4) {
                        String tenant = "t" + i;
                        try (Connection c = shards.getConnection(tenant)) {
                            assertThat(query(c, "SELECT current_setting('application_name')"))
                                    .isEqualTo("gbshard-b gbshard_b_" + tenant);
                            served.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get(5, TimeUnit.MINUTES);
            }
            done.set(true);
            watcher.get();
            assertThat(served.get()).isEqualTo(1000);
            assertThat(evicted.get()).isGreaterThanOrEqualTo(990);
            // 1,000 tenants leave the number of meters as it was: the shard tag of every tenant is
            // "tenant", and tenant pools get no per-pool HikariCP meters
            assertThat(meters.getMeters()).hasSize(metersBefore);
            assertThat(meters.get(ShardedDataSourceMetrics.ACQUIRE).tags("shard", "tenant", "result", "ok").timer()
                    .count()).isEqualTo(1000);
            assertThat(meters.get(ShardedDataSourceMetrics.EVICTIONS).counter().count()).isEqualTo(evicted.get());
            assertThat(peak.get()).isBetween(1, 20);
            assertThat(shards.openShards()).hasSizeLessThanOrEqualTo(10);
        } finally {
            done.set(true);
            pool.shutdownNow();
        }
    }

    @Test
    void busyPoolsAreDrainedBeforeTheyCloseUnderContention() throws Exception {
        TestPostgres.recreateDatabase("gbshard_drain");
        ShardSettings s = settings("shard-strategy,tenant\nshard-tenant-db-prefix,gbshard_d_\n"
                + "shard-url-template,jdbc:postgresql://" + HOST + "/gbshard_drain?ApplicationName=gbshard-d {database}\n"
                + "shard-pool-size,2\nshard-connection-budget,6\nshard-connect-timeout,30\n");
        AtomicInteger busyEvictions = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        AtomicInteger served = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(17);
        try (ShardedDataSource shards = open(s, event -> {
                    if (event instanceof ShardPoolEvent.PoolEvicted e && e.borrowed() > 0) {
                        busyEvictions.incrementAndGet();
                    }
                });
             Connection admin = TestPostgres.connect("postgres")) {
            Future<?> watcher = pool.submit(() -> {
                while (!done.get()) {
                    peak.accumulateAndGet(serverConnections(admin, "gbshard-d "), Math::max);
                }
                return null;
            });
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < 16; w++) {
                int seed = w;
                workers.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        String tenant = "t" + ((seed * 7 + i) % 12);
                        try (Connection c = shards.getConnection(tenant)) {
                            // hold the connection a moment, so that pools are busy when evicted
                            assertThat(query(c, "SELECT pg_sleep(0.005)::text || current_setting('application_name')"))
                                    .endsWith("gbshard_d_" + tenant);
                            served.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get(5, TimeUnit.MINUTES);
            }
            done.set(true);
            watcher.get();
            assertThat(served.get()).isEqualTo(16 * 25);
            assertThat(peak.get()).isBetween(1, 6);
            assertThat(busyEvictions.get()).isPositive();
        } finally {
            done.set(true);
            pool.shutdownNow();
        }
    }

    @Test
    void aLeakedConnectionDelaysTheCloseOnlyUntilTheDrainTimeout() throws Exception {
        TestPostgres.recreateDatabase("gbshard_leak");
        ShardSettings s = settings("shard-strategy,tenant\nshard-tenant-db-prefix,gbshard_l_\n"
                + "shard-url-template,jdbc:postgresql://" + HOST + "/gbshard_leak\n"
                + "shard-pool-size,2\nshard-connection-budget,2\nshard-connect-timeout,20\nshard-drain-timeout,1\n");
        List<String> closed = new java.util.concurrent.CopyOnWriteArrayList<>();
        RecordingThreadFactory host = new RecordingThreadFactory("host-drain");
        List<Thread> made = host.made();
        ShardedDataSource closedLater;
        try (ShardedDataSource shards = ShardedDataSource.custom(s).credentials(TestPostgres.user(), TestPostgres.password())
                .threadFactory(host)
                .listener(event -> {
                    if (event instanceof ShardPoolEvent.PoolClosed c) {
                        closed.add(c.shard());
                    }
                }).build()) {
            closedLater = shards;
            Connection leaked = shards.getConnection("a");
            // b waits for a's forced close (that it waits for it and no longer, without a clock:
            // theForcedCloseRunsOnTheHostsSchedulerWhichOutlivesTheDataSource)
            try (Connection c = shards.getConnection("b")) {
                assertThat(query(c, "SELECT 1")).isEqualTo("1");
            }
            assertThat(closed).containsExactly("gbshard_l_a");
            // HikariCP aborted the leaked connection when the pool closed
            assertThatThrownBy(() -> query(leaked, "SELECT 1")).isInstanceOf(SQLException.class);
            leaked.close();
            assertThat(leaked.isClosed()).isTrue();
            assertThat(closed).containsExactly("gbshard_l_a");
            assertThat(shards.openShards()).containsExactly("gbshard_l_b");
            assertThat(made).as("the forced close ran on the one thread the host's factory made").hasSize(1);
        }
        assertThat(closedLater.openShards()).isEmpty();
        Await.until("the drain thread stopped by close()", Duration.ofSeconds(30), () -> !made.get(0).isAlive());
    }

    @Test
    void theForcedCloseRunsOnTheHostsSchedulerWhichOutlivesTheDataSource() throws Exception {
        TestPostgres.recreateDatabase("gbshard_host");
        ShardSettings s = settings("shard-strategy,tenant\nshard-tenant-db-prefix,gbshard_h_\n"
                + "shard-url-template,jdbc:postgresql://" + HOST + "/gbshard_host\n"
                + "shard-pool-size,2\nshard-connection-budget,2\nshard-connect-timeout,30\nshard-drain-timeout,1h\n");
        // the host's scheduler keeps the forced closes for the test to run, not an hour later
        List<Runnable> tasks = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<ScheduledFuture<?>> futures = new java.util.concurrent.CopyOnWriteArrayList<>();
        ScheduledExecutorService host = Mockito.mock(ScheduledExecutorService.class);
        Mockito.when(host.schedule(Mockito.any(Runnable.class), Mockito.anyLong(), Mockito.any())).thenAnswer(call -> {
            assertThat(Duration.of(call.getArgument(1), ((TimeUnit) call.getArgument(2)).toChronoUnit()))
                    .isEqualTo(Duration.ofHours(1));
            tasks.add(call.getArgument(0));
            ScheduledFuture<?> f = Mockito.mock(ScheduledFuture.class);
            futures.add(f);
            return f;
        });
        List<String> closed = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (ShardedDataSource shards = ShardedDataSource.custom(s).credentials(TestPostgres.user(), TestPostgres.password())
                .scheduler(host)
                .listener(event -> {
                    if (event instanceof ShardPoolEvent.PoolClosed c) {
                        closed.add(c.shard());
                    }
                }).build()) {
            Connection leakedA = shards.getConnection("a");
            Future<String> b = caller.submit(() -> {
                try (Connection c = shards.getConnection("b")) {
                    return query(c, "SELECT current_setting('application_name')");
                }
            });
            Await.until("a's forced close handed to the host's scheduler", Duration.ofSeconds(30), () -> tasks.size() == 1);
            assertThat(b).isNotDone();
            tasks.get(0).run();
            assertThat(b.get(30, TimeUnit.SECONDS)).isEqualTo("gb-shard gbshard_h_b");
            assertThat(closed).containsExactly("gbshard_h_a");
            leakedA.close();

            // b is busy when c needs room: its forced close is pending when the data source closes
            Connection leakedB = shards.getConnection("b");
            Future<?> c = caller.submit(() -> shards.getConnection("c"));
            Await.until("b's forced close handed to the host's scheduler", Duration.ofSeconds(30), () -> tasks.size() == 2);
            shards.close();
            assertThatThrownBy(() -> c.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(SQLException.class)
                    .hasMessageContaining("ShardedDataSource is closed; cannot connect to gbshard_h_c");
            leakedB.close();
        } finally {
            caller.shutdownNow();
        }
        Mockito.verify(futures.get(1)).cancel(false);
        Mockito.verify(host, Mockito.never()).shutdown();
        Mockito.verify(host, Mockito.never()).shutdownNow();
        assertThat(closed).containsExactly("gbshard_h_a", "gbshard_h_b");
    }

    @Test
    void sixteenThreadsCreateANewTenantDatabaseExactlyOnce() throws Exception {
        String db = "gbshard_t_newcomer";
        try (Connection admin = TestPostgres.connect("postgres"); Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        }
        ShardSettings s = settings("shard-strategy,tenant\nshard-tenant-db-prefix,gbshard_t_\nshard-auto-create,true\n"
                + "shard-host," + HOST + "\nshard-pool-size,4\nshard-connection-budget,5\nshard-connect-timeout,20\n");
        AtomicInteger created = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try (ShardedDataSource shards = open(s, event -> {
            if (event instanceof ShardPoolEvent.DatabaseCreated) {
                created.incrementAndGet();
            }
        })) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    try (Connection c = shards.getConnection("Newcomer")) {
                        return query(c, "SELECT current_database()");
                    }
                }));
            }
            start.countDown();
            for (Future<String> f : results) {
                assertThat(f.get(1, TimeUnit.MINUTES)).isEqualTo(db);
            }
            assertThat(created.get()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
            try (Connection admin = TestPostgres.connect("postgres"); Statement st = admin.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
        }
    }

    @Test
    void aThrowingListenerBreaksNothingAndConnectionsEqualThemselves() throws Exception {
        TestPostgres.recreateDatabase("gbshard_throwing");
        // budget of one pool: every new shard evicts the previous one, so each event is raised
        ShardSettings s = settings("shard-strategy,range\nshard-ranges,0-9:a,10-19:b\n"
                + "shard-url-template,jdbc:postgresql://" + HOST + "/gbshard_throwing?ApplicationName=gbshard-x {shard}\n"
                + "shard-pool-size,1\nshard-connection-budget,1\nshard-connect-timeout,5\n");
        AtomicInteger calls = new AtomicInteger();
        EventListener<ShardPoolEvent> throwing = event -> {
            calls.incrementAndGet();
            throw new IllegalStateException("listener bug on " + event);
        };
        List<ShardPoolEvent> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        ShardedDataSource closedLater;
        try (ShardedDataSource shards = open(s, throwing); Connection admin = TestPostgres.connect("postgres")) {
            closedLater = shards;
            shards.addListener(heard::add);
            for (int round = 0; round < 3; round++) {
                for (long key : new long[] {1, 15}) {
                    try (Connection c = shards.getConnection(key)) {
                        assertThat(c).isEqualTo(c);
                        assertThat(c.hashCode()).isEqualTo(c.hashCode());
                        assertThat(query(c, "SELECT 1")).isEqualTo("1");
                    }
                }
            }
            assertThat(calls.get()).as("the listener was called on every event").isGreaterThanOrEqualTo(11);
            assertThat(heard).as("the other listener heard every event").hasSize(calls.get())
                    .startsWith(new ShardPoolEvent.PoolOpened("a", 1))
                    .contains(new ShardPoolEvent.PoolEvicted("a", 0), new ShardPoolEvent.PoolClosed("a"),
                            new ShardPoolEvent.PoolOpened("b", 1));
            assertThat(shards.openShards()).hasSize(1);
            // the evicted pools were really closed: at most the one open pool's connection is left
            assertThat(serverConnections(admin, "gbshard-x ")).isLessThanOrEqualTo(1);
        }
        assertThat(heard).as("closing the data source closes its last pool").endsWith(new ShardPoolEvent.PoolClosed("b"));
        assertThat(closedLater.openShards()).isEmpty();
    }

    @Test
    void aShardCanBeADataSourceTheHostBuilt() throws Exception {
        TestPostgres.recreateDatabase("gbshard_own");
        TestPostgres.recreateDatabase("gbshard_pooled");
        ShardSettings s = settings("shard-strategy,range\nshard-ranges,0-99:own,100-:pooled\n"
                + "shard-url-template,jdbc:postgresql://" + HOST + "/gbshard_{shard}\nshard-pool-size,1\n");
        org.postgresql.ds.PGSimpleDataSource own = new org.postgresql.ds.PGSimpleDataSource();
        own.setUrl("jdbc:postgresql://" + HOST + "/gbshard_own?ApplicationName=host-built");
        own.setUser(TestPostgres.user());
        own.setPassword(TestPostgres.password());
        try (ShardedDataSource shards = ShardedDataSource.custom(s).credentials(TestPostgres.user(), TestPostgres.password())
                .shardDataSource("own", own).build()) {
            try (Connection c = shards.getConnection(42L)) {
                assertThat(query(c, "SELECT current_database() || ' ' || current_setting('application_name')"))
                        .isEqualTo("gbshard_own host-built");
            }
            try (Connection c = shards.getConnection(420L)) {
                assertThat(query(c, "SELECT current_database()")).isEqualTo("gbshard_pooled");
            }
            assertThat(shards.openShards()).containsExactly("pooled");
        }
        assertThatThrownBy(() -> ShardedDataSource.custom(s).shardDataSource("own", own).shardDataSource("own", own))
                .hasMessage("shard own is given a DataSource twice");
    }

    @Test
    void aMissingTenantDatabaseWithoutAutoCreateIsAClearError() {
        ShardSettings s = settings("shard-strategy,tenant\nshard-tenant-db-prefix,gbshard_t_\nshard-host," + HOST
                + "\nshard-connect-timeout,1\n");
        try (ShardedDataSource shards = open(s)) {
            assertThatThrownBy(() -> shards.getConnection("nobody_here"))
                    .isInstanceOf(ShardUnavailableException.class)
                    .hasMessage("tenant database gbshard_t_nobody_here does not exist (shard-auto-create is false)")
                    .satisfies(e -> assertThat(((ShardUnavailableException) e).shard()).isEqualTo("gbshard_t_nobody_here"));
            assertThatThrownBy(() -> shards.getConnection("x'; DROP DATABASE postgres; --"))
                    .isInstanceOf(ShardRoutingException.class).hasMessageContaining("is refused");
        }
    }

    @Test
    void aDeadShardFailsOnlyItsOwnKeys() throws Exception {
        TestPostgres.recreateDatabase("gbshard_live");
        int deadPort = FreePorts.find();
        ShardSettings s = settings("shard-strategy,range\nshard-ranges,0-999:live,1000-1999:dead\n"
                + "shard-url-live,jdbc:postgresql://" + HOST + "/gbshard_live\n"
                + "shard-url-dead,jdbc:postgresql://127.0.0.1:" + deadPort + "/gbshard_dead\n"
                + "shard-connect-timeout,1\nshard-pool-size,2\n");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ShardedDataSource shards = ShardedDataSource.custom(s).credentials(TestPostgres.user(), TestPostgres.password())
                .build()) {
            ShardedDataSourceMetrics.of(shards).bindTo(registry);
            assertThatThrownBy(() -> shards.getConnection(1500L))
                    .isInstanceOf(ShardUnavailableException.class)
                    .hasMessageStartingWith("shard dead is unavailable (jdbc:postgresql://127.0.0.1:" + deadPort
                            + "/gbshard_dead): ")
                    .satisfies(e -> assertThat(((ShardUnavailableException) e).shard()).isEqualTo("dead"));
            for (long key = 0; key < 1000; key += 100) {
                try (Connection c = shards.getConnection(key)) {
                    assertThat(query(c, "SELECT current_database()")).isEqualTo("gbshard_live");
                }
            }
            assertThatThrownBy(() -> shards.getConnection("1999")).isInstanceOf(ShardUnavailableException.class)
                    .hasMessageContaining("shard dead is unavailable");
            // each pool's meters carry its shard's name
            assertThat(registry.find("hikaricp.connections.max").tag("pool", "live").gauge()).isNotNull();
            assertThat(registry.find("hikaricp.connections.max").tag("pool", "dead").gauge()).isNotNull();
            assertThat(registry.get(ShardedDataSourceMetrics.ACQUIRE).tags("shard", "dead", "result", "error").timer()
                    .count()).isEqualTo(2);
            assertThat(registry.get(ShardedDataSourceMetrics.ACQUIRE).tags("shard", "live", "result", "ok").timer()
                    .count()).isEqualTo(10);
        }
    }

    @Test
    void theMoverSurvivesACrashBetweenBatchesAndTheMonitorSeesTheBalance() throws Exception {
        for (int i = 0; i < 3; i++) {
            TestPostgres.recreateDatabase("gbshard_m_shard_" + i);
            try (Connection c = TestPostgres.connect("gbshard_m_shard_" + i); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE messages (id bigint PRIMARY KEY, user_id bigint NOT NULL, body text)");
            }
        }
        String base = "shard-strategy,hash\nshard-algorithm,jump\nshard-host," + HOST
                + "\nshard-url-template,jdbc:postgresql://{host}/gbshard_m_{database}\nshard-pool-size,2\n";
        ShardSettings two = settings(base + "shard-count,2\n");
        ShardSettings three = settings(base + "shard-count,3\n");
        ShardRouter newRouter = ShardRouter.of(three);
        try (ShardedDataSource shards = open(two)) {
            // 600 messages of 200 users on two shards
            for (String shard : List.of("shard-0", "shard-1")) {
                try (Connection c = shards.connectionTo(shard); Statement st = c.createStatement()) {
                    st.execute("INSERT INTO messages SELECT g, g % 200, 'm' || g FROM generate_series(1, 600) g "
                            + "WHERE " + (shard.equals("shard-0") ? "" : "NOT ") + "(g % 200) IN ("
                            + userIdsOf(shards.router(), "shard-0") + ")");
                }
            }
            ShardBalanceMonitor monitor = new ShardBalanceMonitor(shards, "messages", 1.2);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            ShardBalanceMetrics.of(monitor).bindTo(registry);
            BalanceReport before = monitor.refresh();
            assertThat(before.total()).isEqualTo(600);
            assertThat(registry.get("gb.shard.rows").tag("shard", "shard-0").gauge().value())
                    .isEqualTo(before.counts().get("shard-0").doubleValue());
            assertThat(registry.get("gb.shard.imbalance").tag("table", "messages").gauge().value())
                    .isEqualTo(before.imbalance());
            assertThat(registry.get("gb.shard.hotspot.ratio").tag("table", "messages").gauge().value()).isEqualTo(1.2);

            long expectedToMove = 0;
            for (long u = 0; u < 200; u++) {
                if (!newRouter.route(u).equals(shards.router().route(u))) {
                    expectedToMove += 3;
                }
            }
            // crash after the second batch has been copied, before its delete: the source table goes
            // away (a listener cannot stop a move by throwing, so the crash is a real failure)
            RowMover crashing = new RowMover(shards, "messages", "id", "user_id", 50);
            crashing.addListener(event -> {
                if (event instanceof RowMoverEvent.BatchCopied copied && copied.batch() == 2) {
                    rename("gbshard_m_shard_0", "messages", "messages_away");
                }
            });
            assertThatThrownBy(() -> crashing.move("shard-0", newRouter)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("relation \"messages\" does not exist");
            rename("gbshard_m_shard_0", "messages_away", "messages");
            RowMover mover = RowMover.of(shards, "messages", "id"); // shard-key: user_id, the default
            List<RowMoverEvent> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
            mover.addListener(event -> {
                throw new IllegalStateException("listener bug");
            });
            mover.addListener(heard::add);
            long moved = 0;
            for (String shard : List.of("shard-0", "shard-1")) {
                moved += mover.move(shard, newRouter).moved();
            }
            assertThat(heard).as("a throwing listener stops no move; the other hears every batch and the end")
                    .filteredOn(RowMoverEvent.MoveCompleted.class::isInstance)
                    .extracting(RowMoverEvent::from).containsExactly("shard-0", "shard-1");
            assertThat(heard.get(0)).isInstanceOfSatisfying(RowMoverEvent.BatchCopied.class, first -> {
                assertThat(first.table()).isEqualTo("messages");
                assertThat(first.from()).isEqualTo("shard-0");
                assertThat(first.batch()).isEqualTo(1);
            });
            // rows of the first batch were moved before the crash; the second batch is redone
            assertThat(moved).isLessThan(expectedToMove);
            Map<String, Long> counts = ShardedCounts.of(shards, List.of("shard-0", "shard-1", "shard-2"));
            assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(600);
            assertThat(counts.get("shard-2")).isEqualTo(expectedToMove);
            for (String shard : List.of("shard-0", "shard-1", "shard-2")) {
                try (Connection c = shards.connectionTo(shard); Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT DISTINCT user_id FROM messages")) {
                    while (rs.next()) {
                        assertThat(newRouter.route(rs.getLong(1))).isEqualTo(shard);
                    }
                }
            }
            // idempotent: a second run moves nothing
            assertThat(mover.move("shard-0", newRouter).moved()).isZero();
        }
    }

    private static void rename(String database, String from, String to) {
        try (Connection c = TestPostgres.connect(database); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE " + from + " RENAME TO " + to);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String userIdsOf(ShardRouter router, String shard) {
        StringBuilder sb = new StringBuilder();
        for (long u = 0; u < 200; u++) {
            if (router.route(u).equals(shard)) {
                sb.append(sb.length() == 0 ? "" : ",").append(u);
            }
        }
        return sb.toString();
    }

    /** Row counts of messages per shard. */
    static final class ShardedCounts {
        static Map<String, Long> of(ShardedDataSource shards, List<String> names) throws SQLException {
            Map<String, Long> out = new java.util.LinkedHashMap<>();
            for (String shard : names) {
                try (Connection c = shards.connectionTo(shard)) {
                    out.put(shard, Long.parseLong(query(c, "SELECT count(*) FROM messages")));
                }
            }
            return out;
        }
    }
}
