package io.generalbots.failover.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.scaling.testing.Await;

/**
 * A writer (and optionally a reader) running through a {@link FailoverDataSource} the whole time a
 * failover happens: the writer inserts increasing ids with {@code executeIdempotent}, recording
 * each acknowledged id, the server port it landed on and when; it also records any write
 * connection that was handed out to a server in recovery (a replica), which must never happen.
 */
final class FailoverLoad implements AutoCloseable {

    static final String TABLE = "gbfo_writes";

    /** One acknowledged write. */
    record Ack(long id, int port, long nanos) {
    }

    private final FailoverDataSource db;
    private final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Throwable> writeFailures = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Throwable> readFailures = new ConcurrentLinkedQueue<>();
    private final AtomicInteger replicaWrites = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> replicaWriteLog = new ConcurrentLinkedQueue<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicLong nextId;
    private final Thread writer;
    private final Thread reader;
    private volatile boolean running = true;

    FailoverLoad(FailoverDataSource db, long firstId, boolean withReader) {
        this.db = db;
        this.nextId = new AtomicLong(firstId);
        writer = new Thread(this::writeLoop, "failover-writer");
        reader = withReader ? new Thread(this::readLoop, "failover-reader") : null;
        writer.start();
        if (reader != null) {
            reader.start();
        }
    }

    static void createTable(HostAndPort primary) throws SQLException {
        try (Connection c = direct(primary); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id bigint PRIMARY KEY, port int NOT NULL, "
                    + "at timestamptz NOT NULL DEFAULT now())");
        }
    }

    static Connection direct(HostAndPort host) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + host + "/postgres?user=postgres&connectTimeout=5");
    }

    private void writeLoop() {
        while (running) {
            long id = nextId.getAndIncrement();
            try {
                int port = db.executeIdempotent(c -> {
                    try (Statement s = c.createStatement();
                         ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery(), inet_server_port()")) {
                        rs.next();
                        int serverPort = rs.getInt(2);
                        if (rs.getBoolean(1)) {
                            replicaWrites.incrementAndGet();
                            replicaWriteLog.add("id " + id + " on port " + serverPort + " at " + System.nanoTime() / 1_000_000
                                    + " ms, read-only " + c.isReadOnly() + ", autocommit " + c.getAutoCommit());
                        }
                        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE
                                + " (id, port) VALUES (?, ?) ON CONFLICT (id) DO NOTHING")) {
                            ps.setLong(1, id);
                            ps.setInt(2, serverPort);
                            ps.executeUpdate();
                        }
                        return serverPort;
                    }
                });
                acks.add(new Ack(id, port, System.nanoTime()));
            } catch (SQLException | RuntimeException e) {
                writeFailures.add(e);
            }
            pause(10);
        }
    }

    private void readLoop() {
        while (running) {
            try {
                db.read(c -> {
                    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + TABLE)) {
                        rs.next();
                        return rs.getLong(1);
                    }
                });
                reads.incrementAndGet();
            } catch (SQLException | RuntimeException e) {
                readFailures.add(e);
            }
            pause(20);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The first write acknowledged by the given server after the given time, or null. */
    Ack firstAckOn(int port, long afterNanos) {
        for (Ack a : acks) {
            if (a.port() == port && a.nanos() >= afterNanos) {
                return a;
            }
        }
        return null;
    }

    int acksOn(int port, long afterNanos) {
        int n = 0;
        for (Ack a : acks) {
            if (a.port() == port && a.nanos() >= afterNanos) {
                n++;
            }
        }
        return n;
    }

    void awaitAcksOn(int port, long afterNanos, int count, long timeoutMillis) {
        // the last value names the writes so far and the writer's failures
        Await.until("the writer reaching " + count + " writes on port " + port, Duration.ofMillis(timeoutMillis),
                () -> acksOn(port, afterNanos) >= count ? "done"
                        : acksOn(port, afterNanos) + " there, acks " + acks.size() + ", failures " + writeFailures,
                "done"::equals);
    }

    List<Ack> acks() {
        return new ArrayList<>(acks);
    }

    /** The acknowledged writes that are not on the given server. */
    List<Ack> missingOn(HostAndPort primary) throws SQLException {
        Set<Long> present = new HashSet<>();
        try (Connection c = direct(primary); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM " + TABLE)) {
            while (rs.next()) {
                present.add(rs.getLong(1));
            }
        }
        List<Ack> missing = new ArrayList<>();
        for (Ack a : acks) {
            if (!present.contains(a.id())) {
                missing.add(a);
            }
        }
        return missing;
    }

    List<Throwable> writeFailures() {
        return new ArrayList<>(writeFailures);
    }

    List<Throwable> readFailures() {
        return new ArrayList<>(readFailures);
    }

    List<String> replicaWriteLog() {
        return new ArrayList<>(replicaWriteLog);
    }

    int replicaWrites() {
        return replicaWrites.get();
    }

    int reads() {
        return reads.get();
    }

    long nextId() {
        return nextId.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        writer.join(60_000);
        if (reader != null) {
            reader.join(60_000);
        }
    }
}
