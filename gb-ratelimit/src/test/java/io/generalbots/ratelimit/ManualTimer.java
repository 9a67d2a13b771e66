package io.generalbots.ratelimit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.generalbots.scaling.testing.ManualTicker;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.TimerTask;

/**
 * A Netty {@link Timer} on a {@link ManualTicker}: tasks run only in {@link #runDue()}, in deadline
 * order, when the ticker has reached their deadline. A task scheduled by a running task counts its
 * delay from the running task's deadline, as on a timer that fires on time; if that is due too, it
 * runs in the same {@link #runDue()}.
 */
final class ManualTimer implements Timer {

    private final ManualTicker ticker;
    private final List<Task> tasks = new ArrayList<>();
    private long firing = Long.MIN_VALUE;

    ManualTimer(ManualTicker ticker) {
        this.ticker = ticker;
    }

    @Override
    public synchronized Timeout newTimeout(TimerTask task, long delay, TimeUnit unit) {
        long base = firing != Long.MIN_VALUE ? firing : ticker.read();
        Task t = new Task(task, base + unit.toNanos(delay));
        tasks.add(t);
        return t;
    }

    @Override
    public synchronized Set<Timeout> stop() {
        Set<Timeout> left = Set.copyOf(tasks);
        tasks.clear();
        return left;
    }

    /** Runs every task that is due now, earliest first. */
    void runDue() {
        while (true) {
            Task next = null;
            synchronized (this) {
                for (Task t : tasks) {
                    if (t.deadline <= ticker.read() && (next == null || t.deadline < next.deadline)) {
                        next = t;
                    }
                }
                if (next == null) {
                    return;
                }
                tasks.remove(next);
                firing = next.deadline;
            }
            next.expired = true;
            try {
                next.task.run(next);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                synchronized (this) {
                    firing = Long.MIN_VALUE;
                }
            }
        }
    }

    /** Tasks scheduled and neither run nor cancelled. */
    synchronized int pending() {
        return tasks.size();
    }

    private final class Task implements Timeout {
        final TimerTask task;
        final long deadline;
        volatile boolean expired;
        volatile boolean cancelled;

        Task(TimerTask task, long deadline) {
            this.task = task;
            this.deadline = deadline;
        }

        @Override
        public Timer timer() {
            return ManualTimer.this;
        }

        @Override
        public TimerTask task() {
            return task;
        }

        @Override
        public boolean isExpired() {
            return expired;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean cancel() {
            synchronized (ManualTimer.this) {
                if (expired || cancelled) {
                    return false;
                }
                cancelled = true;
                tasks.remove(this);
                return true;
            }
        }
    }
}
