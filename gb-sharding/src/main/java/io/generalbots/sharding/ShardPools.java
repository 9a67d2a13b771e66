package io.generalbots.sharding;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import io.generalbots.scaling.event.EventPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The connection budget: which shards have an open pool, at most {@code maxPools} at once, each
 * opened by exactly one thread however many ask for it; the least recently used pool evicted when
 * a new shard needs room (closed at once when idle, else drained: closed by its last borrower or by
 * the {@link DrainTimer}); callers waiting up to {@code shard-connect-timeout} for room.
 *
 * <p>The state is guarded by one {@link ReentrantLock}, held only for in-memory work: opening a
 * pool (and creating a tenant database) and closing one happen outside it, so a slow shard never
 * blocks the others, and a waiting virtual thread does not pin its carrier.
 */
final class ShardPools {

    /** The data source's logger: the lines are the data source's, as before the split. */
    private static final Logger LOG = LoggerFactory.getLogger(ShardedDataSource.class);

    /** Opens a shard's pool; called outside the lock, by one thread per shard at a time. */
    @FunctionalInterface
    interface Opener {
        /**
         * @param shard         the shard
         * @param deadlineNanos {@link System#nanoTime()} after which the caller gives up waiting
         * @return its new pool
         * @throws SQLException if it cannot be opened
         */
        ShardPool open(String shard, long deadlineNanos) throws SQLException;
    }

    private final ShardSettings settings;
    private final boolean tenant;
    private final int maxPools;
    private final int poolSize;
    private final long waitNanos;
    private final Opener opener;
    private final DrainTimer drainTimer;
    private final EventPublisher<ShardPoolEvent> events;
    private final Consumer<String> onEvicted;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Open pools in access order: the first is the least recently used. */
    private final LinkedHashMap<String, ShardPool> pools = new LinkedHashMap<>(16, 0.75f, true);
    /** Shards whose pool a thread is opening. */
    private final Set<String> creating = new HashSet<>();
    /** Evicted pools waiting for their borrowers. */
    private final Set<ShardPool> drainingPools = new HashSet<>();
    /** Pools counted against the budget: open, being opened, or evicted and not yet closed. */
    private int slots;
    private volatile boolean closed;

    ShardPools(ShardSettings settings, int maxPools, int poolSize, Opener opener, DrainTimer drainTimer,
            EventPublisher<ShardPoolEvent> events, Consumer<String> onEvicted) {
        this.settings = settings;
        this.tenant = settings.strategy() == ShardStrategy.TENANT;
        this.maxPools = maxPools;
        this.poolSize = poolSize;
        this.waitNanos = settings.connectTimeout().toNanos();
        this.opener = opener;
        this.drainTimer = drainTimer;
        this.events = events;
        this.onEvicted = onEvicted;
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * The shard's pool, opened if needed, with one more borrower; give it back with {@link #release}.
     *
     * @throws ShardUnavailableException if no room was made within {@code shard-connect-timeout}
     * @throws SQLException              if closed, interrupted, or the pool cannot be opened
     */
    ShardPool acquire(String shard) throws SQLException {
        long deadline = System.nanoTime() + waitNanos;
        while (true) {
            ShardPool victim = null;
            lock.lock();
            try {
                if (closed) {
                    throw closedException(shard);
                }
                ShardPool p = pools.get(shard);
                if (p != null) {
                    p.borrowers++;
                    return p;
                }
                boolean create = false;
                if (!creating.contains(shard)) {
                    if (slots < maxPools) {
                        slots++;
                        creating.add(shard);
                        create = true;
                    } else {
                        victim = evictLocked();
                    }
                }
                if (!create && victim == null) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new ShardUnavailableException(shard, "shard " + shard + " is unavailable: the connection "
                                + "budget of " + settings.connectionBudget() + " (" + maxPools + " pools of " + poolSize
                                + ") is in use and no pool was returned within " + settings.connectTimeout().toMillis()
                                + " ms", "08004", null);
                    }
                    awaitLocked(left);
                    continue;
                }
            } finally {
                lock.unlock();
            }
            if (victim != null) {
                closeNow(victim);
                continue;
            }
            return openAndAdd(shard, deadline);
        }
    }

    private ShardPool openAndAdd(String shard, long deadline) throws SQLException {
        ShardPool created;
        try {
            created = opener.open(shard, deadline);
        } catch (SQLException | RuntimeException e) {
            lock.lock();
            try {
                slots--;
                creating.remove(shard);
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            throw e;
        }
        lock.lock();
        try {
            creating.remove(shard);
            if (!closed) {
                pools.put(shard, created);
                created.borrowers++;
                changed.signalAll();
                return created;
            }
            slots--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        created.dataSource.close();
        throw closedException(shard);
    }

    private static SQLException closedException(String shard) {
        return new SQLException("ShardedDataSource is closed; cannot connect to " + shard);
    }

    private void awaitLocked(long nanos) throws SQLException {
        try {
            changed.awaitNanos(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("interrupted while waiting for a shard pool", e);
        }
    }

    /**
     * Evicts the least recently used idle pool and returns it to be closed (it is marked closing);
     * if every pool is busy and none is draining yet, starts draining the least recently used one
     * and returns null.
     */
    private ShardPool evictLocked() {
        for (Iterator<Map.Entry<String, ShardPool>> it = pools.entrySet().iterator(); it.hasNext();) {
            ShardPool p = it.next().getValue();
            if (p.borrowers == 0) {
                it.remove();
                p.evicted = true;
                p.closing = true;
                ShardLog.at(LOG, Level.DEBUG, p.shard, tenant).log(
                        "[{}] pool evicted (least recently used, idle); budget {} connections", p.shard,
                        settings.connectionBudget());
                events.publish(new ShardPoolEvent.PoolEvicted(p.shard, 0));
                onEvicted.accept(p.shard);
                return p;
            }
        }
        if (drainingPools.isEmpty() && !pools.isEmpty()) {
            Iterator<Map.Entry<String, ShardPool>> it = pools.entrySet().iterator();
            ShardPool p = it.next().getValue();
            it.remove();
            p.evicted = true;
            drainingPools.add(p);
            ShardLog.at(LOG, Level.INFO, p.shard, tenant).log(
                    "[{}] pool evicted (least recently used); draining {} borrowed connections before closing",
                    p.shard, p.borrowers);
            events.publish(new ShardPoolEvent.PoolEvicted(p.shard, p.borrowers));
            onEvicted.accept(p.shard);
            if (!drainTimer.schedule(() -> drainTimedOut(p), settings.drainTimeout())) {
                ShardLog.at(LOG, Level.WARN, p.shard, tenant).log("[{}] pool has no drain timeout: the drain "
                        + "scheduler refused the task (shut down?); it closes when its last connection is returned",
                        p.shard);
            }
        }
        return null;
    }

    /** Gives a borrower back; the last borrower of an evicted pool closes it. */
    void release(ShardPool pool) {
        boolean close = false;
        lock.lock();
        try {
            pool.borrowers--;
            if (pool.evicted && pool.borrowers == 0 && !pool.closing) {
                pool.closing = true;
                drainingPools.remove(pool);
                close = true;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (close) {
            closeNow(pool);
        }
    }

    private void drainTimedOut(ShardPool pool) {
        int borrowed;
        lock.lock();
        try {
            if (pool.closing) {
                return;
            }
            pool.closing = true;
            drainingPools.remove(pool);
            borrowed = pool.borrowers;
        } finally {
            lock.unlock();
        }
        ShardLog.at(LOG, Level.WARN, pool.shard, tenant).log(
                "[{}] pool closed with {} connections still borrowed after the drain timeout of {} ms",
                pool.shard, borrowed, settings.drainTimeout().toMillis());
        closeNow(pool);
    }

    /** Closes an evicted pool (already marked closing) and frees its slot. */
    private void closeNow(ShardPool pool) {
        try {
            pool.dataSource.close();
        } finally {
            lock.lock();
            try {
                slots--;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            ShardLog.at(LOG, Level.DEBUG, pool.shard, tenant).log("[{}] pool closed", pool.shard);
            events.publish(new ShardPoolEvent.PoolClosed(pool.shard));
        }
    }

    /** The shards that have an open pool, least recently used first. */
    List<String> openShards() {
        lock.lock();
        try {
            return new ArrayList<>(pools.keySet());
        } finally {
            lock.unlock();
        }
    }

    /** Pools counted against the budget now (open, being opened, or draining). */
    int slots() {
        lock.lock();
        try {
            return slots;
        } finally {
            lock.unlock();
        }
    }

    /** Closes every pool, also those draining, and the drain timer. Idempotent. */
    void close() {
        List<ShardPool> all;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            all = new ArrayList<>(pools.values());
            pools.clear();
            for (ShardPool p : drainingPools) {
                p.closing = true;
                all.add(p);
            }
            drainingPools.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        drainTimer.close();
        for (ShardPool p : all) {
            p.dataSource.close();
            events.publish(new ShardPoolEvent.PoolClosed(p.shard));
        }
    }
}
