package io.generalbots.sharding;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.generalbots.scaling.DaemonThreads;

/**
 * Runs the forced close of an evicted pool once {@code shard-drain-timeout} has passed. The tasks
 * run on the host's scheduler when one was given ({@link ShardedDataSource.Builder#scheduler}),
 * else on one thread of the data source's own, made when the first busy pool is evicted by the
 * host's {@link ThreadFactory} ({@link ShardedDataSource.Builder#threadFactory}) or, by default, as
 * the daemon thread {@value #THREAD_NAME}.
 *
 * <p>{@link #close()} cancels the tasks still pending and stops the own thread; a host's scheduler
 * is left running.
 */
final class DrainTimer implements AutoCloseable {

    /** The name of the default thread. */
    static final String THREAD_NAME = "gb-shard-drain";

    private final ScheduledExecutorService host;
    private final ThreadFactory threadFactory;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}. */
    private ScheduledExecutorService own;
    /** Tasks scheduled and not yet run; guarded by {@link #lock}. */
    private final Set<Future<?>> pending = new HashSet<>();
    /** Guarded by {@link #lock}. */
    private boolean closed;

    /**
     * @param host          the host's scheduler, or null to use a thread of our own
     * @param threadFactory makes our own thread; null for the default daemon thread
     */
    DrainTimer(ScheduledExecutorService host, ThreadFactory threadFactory) {
        this.host = host;
        this.threadFactory = threadFactory != null ? threadFactory : DaemonThreads.named(THREAD_NAME);
    }

    /**
     * Runs a task after a delay, unless this timer is closed first.
     *
     * @param task  the task
     * @param delay the delay
     * @return false if the scheduler refused it (a host's scheduler that was shut down)
     */
    boolean schedule(Runnable task, Duration delay) {
        lock.lock();
        try {
            if (closed) {
                return true;
            }
            ScheduledExecutorService executor = host != null ? host : ownExecutor();
            Future<?>[] self = new Future<?>[1];
            ScheduledFuture<?> f;
            try {
                f = executor.schedule(() -> {
                    done(self);
                    task.run();
                }, delay.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                return false;
            }
            self[0] = f;
            pending.add(f);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Forgets a task that runs. Reads its future under the lock: {@link #schedule} holds the lock
     * until the future is stored and counted, so a task that starts at once (a zero delay) still
     * finds it and is not left counted as pending.
     */
    private void done(Future<?>[] self) {
        lock.lock();
        try {
            pending.remove(self[0]);
        } finally {
            lock.unlock();
        }
    }

    private ScheduledExecutorService ownExecutor() {
        if (own == null) {
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, threadFactory);
            executor.setRemoveOnCancelPolicy(true);
            own = executor;
        }
        return own;
    }

    /** The tasks scheduled and not yet run or cancelled. */
    int pending() {
        lock.lock();
        try {
            return pending.size();
        } finally {
            lock.unlock();
        }
    }

    /** Cancels the pending tasks and stops our own thread, if one was made; a host's scheduler keeps running. */
    @Override
    public void close() {
        ScheduledExecutorService stop;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            pending.forEach(f -> f.cancel(false));
            pending.clear();
            stop = own;
        } finally {
            lock.unlock();
        }
        if (stop != null) {
            stop.shutdownNow();
        }
    }
}
