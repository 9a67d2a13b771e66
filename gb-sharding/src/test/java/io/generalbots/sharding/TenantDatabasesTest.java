package io.generalbots.sharding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.generalbots.scaling.event.EventPublisher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tenant database creation against a fake admin database (Mockito's JDBC mocks): once under
 * contention, one creation at a time, and a bounded wait behind another creation.
 */
class TenantDatabasesTest {

    private final ExecutorService threads = Executors.newFixedThreadPool(16);
    /** The databases the fake server has. */
    private final Set<String> server = ConcurrentHashMap.newKeySet();
    private final List<String> statements = new CopyOnWriteArrayList<>();
    private final List<ShardPoolEvent> events = new CopyOnWriteArrayList<>();
    /** Held by CREATE DATABASE when set: lets a test keep a creation under way. */
    private volatile CountDownLatch createGate = new CountDownLatch(0);
    private final CountDownLatch createEntered = new CountDownLatch(1);
    /** A database another process creates right after our SELECT, before our CREATE. */
    private volatile String appearsAfterSelect;

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private TenantDatabases databases() {
        EventPublisher<ShardPoolEvent> publisher = EventPublisher.of("test");
        publisher.addListener(events::add);
        return new TenantDatabases(this::connect, publisher);
    }

    private Connection connect() throws SQLException {
        Connection c = mock(Connection.class);
        String[] asked = new String[1];
        PreparedStatement ps = mock(PreparedStatement.class);
        when(c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")).thenReturn(ps);
        org.mockito.Mockito.doAnswer(call -> asked[0] = call.getArgument(1)).when(ps)
                .setString(org.mockito.ArgumentMatchers.eq(1), anyString());
        when(ps.executeQuery()).thenAnswer(call -> {
            ResultSet rs = mock(ResultSet.class);
            boolean exists = server.contains(asked[0]);
            if (asked[0].equals(appearsAfterSelect)) {
                server.add(asked[0]);
            }
            when(rs.next()).thenReturn(exists);
            return rs;
        });
        Statement st = mock(Statement.class);
        when(c.createStatement()).thenReturn(st);
        when(st.execute(anyString())).thenAnswer(call -> {
            String sql = call.getArgument(0);
            statements.add(sql);
            createEntered.countDown();
            createGate.await();
            String name = sql.substring("CREATE DATABASE \"".length(), sql.length() - 1);
            if (!server.add(name)) {
                throw new SQLException("database \"" + name + "\" already exists", "42P04");
            }
            return false;
        });
        return c;
    }

    private static long in(Duration d) {
        return System.nanoTime() + d.toNanos();
    }

    @Test
    void sixteenThreadsCreateANewDatabaseOnce() throws Exception {
        TenantDatabases databases = databases();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> results = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            results.add(threads.submit(() -> {
                start.await();
                databases.ensure("gb_tenant_newcomer", in(Duration.ofMinutes(1)));
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : results) {
            f.get(1, TimeUnit.MINUTES);
        }
        assertThat(statements).containsExactly("CREATE DATABASE \"gb_tenant_newcomer\"");
        assertThat(events).containsExactly(new ShardPoolEvent.DatabaseCreated("gb_tenant_newcomer"));
        databases.ensure("gb_tenant_newcomer", in(Duration.ZERO));
        assertThat(statements).hasSize(1);
    }

    @Test
    void aDatabaseThatExistsOrIsCreatedByAnotherProcessIsNotAnError() throws Exception {
        TenantDatabases databases = databases();
        server.add("gb_tenant_there");
        databases.ensure("gb_tenant_there", in(Duration.ofMinutes(1)));
        assertThat(statements).isEmpty();
        // another process creates it between our SELECT and our CREATE: duplicate_database
        appearsAfterSelect = "gb_tenant_raced";
        databases.ensure("gb_tenant_raced", in(Duration.ofMinutes(1)));
        assertThat(statements).containsExactly("CREATE DATABASE \"gb_tenant_raced\"");
        assertThat(events).isEmpty();
    }

    @Test
    void aCallerWaitsForAnotherTenantsCreationOnlyUntilItsDeadline() throws Exception {
        TenantDatabases databases = databases();
        createGate = new CountDownLatch(1);
        Future<?> slow = threads.submit(() -> {
            databases.ensure("gb_tenant_slow", in(Duration.ofMinutes(1)));
            return null;
        });
        assertThat(createEntered.await(1, TimeUnit.MINUTES)).isTrue();
        assertThatThrownBy(() -> databases.ensure("gb_tenant_next", in(Duration.ofMillis(50))))
                .isInstanceOf(ShardUnavailableException.class)
                .hasMessage("tenant database gb_tenant_next cannot be created: another tenant database was still "
                        + "being created at the end of shard-connect-timeout")
                .satisfies(e -> assertThat(((ShardUnavailableException) e).shard()).isEqualTo("gb_tenant_next"));
        createGate.countDown();
        slow.get(1, TimeUnit.MINUTES);
        databases.ensure("gb_tenant_next", in(Duration.ofMinutes(1)));
        assertThat(statements).containsExactly("CREATE DATABASE \"gb_tenant_slow\"", "CREATE DATABASE \"gb_tenant_next\"");
    }

    @Test
    void aFailedCreationNamesTheDatabaseAndIsRetriedNextTime() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean(true);
        TenantDatabases databases = new TenantDatabases(() -> {
            if (down.get()) {
                throw new SQLException("FATAL: password authentication failed for user \"gb\"", "28P01");
            }
            return connect();
        }, EventPublisher.of("test"));
        assertThatThrownBy(() -> databases.ensure("gb_tenant_x", in(Duration.ofMinutes(1))))
                .isInstanceOf(ShardUnavailableException.class)
                .hasMessage("tenant database gb_tenant_x cannot be created: FATAL: password authentication failed "
                        + "for user \"gb\"")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
        down.set(false);
        databases.ensure("gb_tenant_x", in(Duration.ofMinutes(1)));
        assertThat(statements).containsExactly("CREATE DATABASE \"gb_tenant_x\"");
    }
}
