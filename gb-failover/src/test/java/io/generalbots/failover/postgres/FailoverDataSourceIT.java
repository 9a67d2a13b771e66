package io.generalbots.failover.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.scaling.health.HealthCheckResult;
import io.generalbots.scaling.testing.TestPostgres;

/**
 * Retry semantics of {@link FailoverDataSource} on the shared test server: errors that mean "the
 * primary is gone" are simulated by the work itself, so the rules (idempotent work is re-run,
 * other work is not) are checked exactly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FailoverDataSourceIT {

    private static final String DB = "gbfo_datasource";
    private FailoverDataSource db;

    @BeforeAll
    void open() throws SQLException {
        TestPostgres.recreateDatabase(DB);
        db = FailoverDataSource.of(PostgresFailoverConfig.custom()
                .name("it-none")
                .discovery(PrimaryDiscoveryMode.NONE)
                .hosts(List.of(new HostAndPort(TestPostgres.host(), TestPostgres.port())))
                .database(DB)
                .credentials(TestPostgres.user(), TestPostgres.password())
                .maximumPoolSize(4)
                .minimumIdle(1)
                .retryTimeout(Duration.ofSeconds(20))
                .build());
        db.executeIdempotent(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS t (id bigint PRIMARY KEY, v text)");
                return null;
            }
        });
    }

    @AfterAll
    void close() {
        if (db != null) {
            db.close();
        }
    }

    private static int insert(java.sql.Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (id, v) VALUES (?, 'x') ON CONFLICT (id) DO NOTHING")) {
            ps.setLong(1, id);
            return ps.executeUpdate();
        }
    }

    private long count(long from, long to) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM t WHERE id BETWEEN ? AND ?")) {
                ps.setLong(1, from);
                ps.setLong(2, to);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @Test
    void theSmallestConnectionTimeoutTheConfigAcceptsStartsAndServes() throws SQLException {
        // 250 ms is the floor PostgresFailoverConfig accepts; it once became a 249 ms validation
        // timeout, which HikariCP refuses at start
        try (FailoverDataSource fast = FailoverDataSource.of(PostgresFailoverConfig.custom()
                .name("it-fast")
                .discovery(PrimaryDiscoveryMode.NONE)
                .hosts(List.of(new HostAndPort(TestPostgres.host(), TestPostgres.port())))
                .database(DB)
                .credentials(TestPostgres.user(), TestPostgres.password())
                .connectionTimeout(Duration.ofMillis(250))
                .maximumPoolSize(1)
                .minimumIdle(0)
                .build())) {
            Integer answer = fast.read(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 41 + 1")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertThat(answer).isEqualTo(42);
        }
    }

    @Test
    void idempotentWorkIsRerunAfterAPrimaryLossAndItsFirstAttemptRolledBack() throws SQLException {
        AtomicInteger calls = new AtomicInteger();
        int result = db.executeIdempotent(c -> {
            insert(c, 1);
            if (calls.incrementAndGet() == 1) {
                throw new SQLException("terminating connection due to administrator command", "57P01");
            }
            return 7;
        });
        assertThat(result).isEqualTo(7);
        assertThat(calls).hasValue(2);
        assertThat(count(1, 1)).isEqualTo(1);
    }

    @Test
    void otherWorkIsNotRerunAndTheCallerIsToldWhy() throws SQLException {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> db.execute(c -> {
            calls.incrementAndGet();
            insert(c, 2);
            throw new SQLException("cannot execute INSERT in a read-only transaction", "25006");
        }))
                .isInstanceOf(PrimaryLostException.class)
                .hasMessage("it-none: the primary was lost while running work not marked idempotent; it may or may "
                        + "not have committed and is not retried (cannot execute INSERT in a read-only transaction)");
        assertThat(calls).hasValue(1);
        assertThat(count(2, 2)).isZero();
    }

    @Test
    void ordinaryErrorsAreNeverRetried() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> db.executeIdempotent(c -> {
            calls.incrementAndGet();
            try (Statement s = c.createStatement()) {
                s.execute("SELEC 1");
            }
            return null;
        })).isInstanceOf(SQLException.class).hasMessageContaining("syntax error");
        assertThat(calls).hasValue(1);
    }

    @Test
    void givesUpAfterTheRetryTimeoutNamingAttemptsAndTheLastError() {
        try (FailoverDataSource quick = FailoverDataSource.of(db.config().toBuilder().name("it-quick")
                .retryTimeout(Duration.ofMillis(300)).build())) {
            assertThatThrownBy(() -> quick.executeIdempotent(c -> {
                throw new SQLException("the database system is shutting down", "57P03");
            }))
                    .isInstanceOf(PrimaryLostException.class)
                    .hasMessageStartingWith("it-quick: no usable primary after ")
                    .hasMessageContaining("(retry timeout 300 ms): the database system is shutting down");
        }
    }

    @Test
    void anUnreachableServerFailsWithTheDriversReason() {
        int dead = io.generalbots.scaling.testing.FreePorts.find();
        try (FailoverDataSource nowhere = FailoverDataSource.of(PostgresFailoverConfig.custom().name("it-dead")
                .discovery(PrimaryDiscoveryMode.NONE).hosts("127.0.0.1:" + dead).minimumIdle(0)
                .connectionTimeout(Duration.ofMillis(500)).retryTimeout(Duration.ZERO).build())) {
            assertThatThrownBy(() -> nowhere.execute(c -> 1))
                    .isInstanceOf(PrimaryLostException.class)
                    .hasMessageStartingWith("it-dead: no usable primary after 1 attempts")
                    .hasMessageContaining("Connection is not available");
        }
    }

    @Test
    void healthIsUpOnAPrimary() throws Exception {
        HealthCheckResult r = db.healthCheck().check();
        assertThat(r.status()).isEqualTo(HealthCheckResult.Status.UP);
        assertThat(r.details()).containsEntry("pool", "it-none")
                .containsEntry("primary", TestPostgres.host() + ":" + TestPostgres.port());
    }

    @Test
    void underContentionEveryIdempotentCallLandsExactlyOnce() throws Exception {
        int threads = 8;
        int perThread = 50;
        long base = 1_000_000;
        AtomicInteger injected = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long first = base + (long) t * perThread;
                futures.add(pool.submit(() -> {
                    int ok = 0;
                    for (long id = first; id < first + perThread; id++) {
                        long key = id;
                        int inserted = db.executeIdempotent(c -> {
                            int n = insert(c, key);
                            if (ThreadLocalRandom.current().nextInt(4) == 0) {
                                injected.incrementAndGet();
                                throw new SQLException("An I/O error occurred while sending to the backend.", "08006");
                            }
                            return n;
                        });
                        ok += inserted;
                    }
                    return ok;
                }));
            }
            int total = 0;
            for (Future<Integer> f : futures) {
                total += f.get(120, TimeUnit.SECONDS);
            }
            assertThat(injected.get()).as("failures were injected").isPositive();
            assertThat(total).isEqualTo(threads * perThread);
            assertThat(count(base, base + threads * perThread - 1)).isEqualTo(threads * perThread);
        } finally {
            pool.shutdownNow();
        }
    }
}
