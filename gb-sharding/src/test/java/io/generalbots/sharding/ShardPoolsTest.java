package io.generalbots.sharding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.zaxxer.hikari.HikariDataSource;
import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.event.EventPublisher;
import io.generalbots.scaling.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

/**
 * The budget of {@link ShardPools} without a database: pools are opened by a fake opener that
 * counts them, so that "one pool per shard" and "never more than the budget" are checked under
 * contention, and the drain timer runs on a scheduler the test drives.
 */
class ShardPoolsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ExecutorService threads = Executors.newFixedThreadPool(16);
    private final List<ShardPoolEvent> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private static ShardSettings settings() {
        return ShardSettings.from(BotConfig.parse("test.csv", "shard-strategy,hash\nshard-count,8\n"
                + "shard-pool-size,2\nshard-connection-budget,4\nshard-connect-timeout,30\nshard-drain-timeout,30\n"));
    }

    private ShardPools pools(int maxPools, FakeOpener opener, DrainTimer timer) {
        EventPublisher<ShardPoolEvent> publisher = EventPublisher.of("test");
        publisher.addListener(events::add);
        return new ShardPools(settings(), maxPools, 2, opener, timer, publisher, shard -> { });
    }

    /** Opens fake pools, counting how many are open at once; an open can be held at a gate. */
    static final class FakeOpener implements ShardPools.Opener {
        final Map<String, AtomicInteger> opens = new ConcurrentHashMap<>();
        final AtomicInteger live = new AtomicInteger();
        final AtomicInteger peak = new AtomicInteger();
        volatile CountDownLatch gate = new CountDownLatch(0);

        @Override
        public ShardPool open(String shard, long deadlineNanos) throws SQLException {
            opens.computeIfAbsent(shard, s -> new AtomicInteger()).incrementAndGet();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted", e);
            }
            peak.accumulateAndGet(live.incrementAndGet(), Math::max);
            AtomicBoolean closed = new AtomicBoolean();
            return new ShardPool(shard, "jdbc:fake:" + shard, new HikariDataSource() {
                @Override
                public void close() {
                    if (closed.compareAndSet(false, true)) {
                        live.decrementAndGet();
                    }
                    super.close();
                }
            });
        }

        int opens(String shard) {
            AtomicInteger n = opens.get(shard);
            return n == null ? 0 : n.get();
        }
    }

    @Test
    void sixteenThreadsAskingForOneNewShardOpenOnePool() throws Exception {
        FakeOpener opener = new FakeOpener();
        opener.gate = new CountDownLatch(1);
        ShardPools pools = pools(2, opener, new DrainTimer(null, null));
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ShardPool>> borrowed = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            borrowed.add(threads.submit(() -> {
                start.await();
                return pools.acquire("shard-1");
            }));
        }
        start.countDown();
        Await.until("one thread opening shard-1", WAIT, () -> opener.opens("shard-1") == 1);
        opener.gate.countDown();
        ShardPool first = borrowed.get(0).get(30, TimeUnit.SECONDS);
        for (Future<ShardPool> f : borrowed) {
            assertThat(f.get(30, TimeUnit.SECONDS)).isSameAs(first);
        }
        assertThat(opener.opens("shard-1")).isEqualTo(1);
        assertThat(first.borrowers).isEqualTo(16);
        assertThat(events).containsExactly();
        pools.close();
        assertThat(opener.live.get()).isZero();
    }

    @Test
    void sixteenThreadsOverSixShardsNeverHoldMoreThanTheBudget() throws Exception {
        FakeOpener opener = new FakeOpener();
        ShardPools pools = pools(2, opener, new DrainTimer(null, null));
        AtomicInteger served = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 16; w++) {
            int seed = w;
            workers.add(threads.submit(() -> {
                start.await();
                for (int i = 0; i < 300; i++) {
                    ShardPool p = pools.acquire("shard-" + ((seed + i) % 6));
                    try {
                        assertThat(p.dataSource.isClosed()).as("a borrowed pool is not closed under its borrower").isFalse();
                        served.incrementAndGet();
                    } finally {
                        pools.release(p);
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : workers) {
            f.get(2, TimeUnit.MINUTES);
        }
        assertThat(served.get()).isEqualTo(16 * 300);
        assertThat(opener.peak.get()).as("pools open at once").isBetween(1, 2);
        assertThat(pools.slots()).isEqualTo(pools.openShards().size()).isEqualTo(opener.live.get());
        long opened = opener.opens.values().stream().mapToInt(AtomicInteger::get).sum();
        assertThat(events).filteredOn(ShardPoolEvent.PoolClosed.class::isInstance)
                .hasSize((int) opened - pools.openShards().size());
        pools.close();
        assertThat(opener.live.get()).isZero();
        assertThat(pools.openShards()).isEmpty();
    }

    @Test
    void aBusyEvictedPoolIsClosedByItsLastBorrowerAndTheForcedCloseThenDoesNothing() throws Exception {
        FakeOpener opener = new FakeOpener();
        AtomicReference<Runnable> forcedClose = new AtomicReference<>();
        ShardPools pools = pools(1, opener, new DrainTimer(capturing(forcedClose), null));
        ShardPool a = pools.acquire("shard-a");
        Future<ShardPool> b = threads.submit(() -> pools.acquire("shard-b"));
        Await.until("shard-a evicted and its forced close scheduled", WAIT, () -> forcedClose.get() != null);
        assertThat(b).isNotDone();
        assertThat(pools.openShards()).isEmpty();

        pools.release(a);
        assertThat(b.get(30, TimeUnit.SECONDS).shard).isEqualTo("shard-b");
        forcedClose.get().run();
        assertThat(events).containsExactly(new ShardPoolEvent.PoolEvicted("shard-a", 1),
                new ShardPoolEvent.PoolClosed("shard-a"));
        assertThat(pools.slots()).isEqualTo(1);
        assertThat(opener.live.get()).isEqualTo(1);
        pools.close();
    }

    @Test
    void aLeakedConnectionHoldsItsEvictedPoolOnlyUntilTheForcedClose() throws Exception {
        FakeOpener opener = new FakeOpener();
        AtomicReference<Runnable> forcedClose = new AtomicReference<>();
        ShardPools pools = pools(1, opener, new DrainTimer(capturing(forcedClose), null));
        ShardPool leaked = pools.acquire("shard-a");
        Future<ShardPool> b = threads.submit(() -> pools.acquire("shard-b"));
        Await.until("shard-a's forced close scheduled", WAIT, () -> forcedClose.get() != null);

        forcedClose.get().run();
        assertThat(b.get(30, TimeUnit.SECONDS).shard).isEqualTo("shard-b");
        assertThat(leaked.dataSource.isClosed()).isTrue();
        pools.release(leaked);
        assertThat(events).containsExactly(new ShardPoolEvent.PoolEvicted("shard-a", 1),
                new ShardPoolEvent.PoolClosed("shard-a"));
        assertThat(pools.slots()).isEqualTo(1);
        pools.close();
        assertThat(opener.live.get()).isZero();
    }

    @Test
    void aFullBudgetIsAClearErrorAfterTheConnectTimeout() throws Exception {
        ShardSettings quick = ShardSettings.from(BotConfig.parse("test.csv", "shard-strategy,hash\nshard-count,8\n"
                + "shard-pool-size,2\nshard-connection-budget,2\nshard-connect-timeout,250ms\n"));
        FakeOpener opener = new FakeOpener();
        AtomicReference<Runnable> forcedClose = new AtomicReference<>();
        ShardPools pools = new ShardPools(quick, 1, 2, opener, new DrainTimer(capturing(forcedClose), null),
                EventPublisher.of("test"), shard -> { });
        pools.acquire("shard-a");
        // shard-a is draining: no room until it is closed
        assertThatThrownBy(() -> pools.acquire("shard-b")).isInstanceOf(ShardUnavailableException.class)
                .hasMessage("shard shard-b is unavailable: the connection budget of 2 (1 pools of 2) is in use and no "
                        + "pool was returned within 250 ms");
        pools.close();
        assertThatThrownBy(() -> pools.acquire("shard-a")).isInstanceOf(SQLException.class)
                .hasMessage("ShardedDataSource is closed; cannot connect to shard-a");
    }

    /** A host scheduler that keeps the task it is given, for the test to run. */
    static ScheduledExecutorService capturing(AtomicReference<Runnable> task) {
        ScheduledExecutorService scheduler = Mockito.mock(ScheduledExecutorService.class);
        Mockito.when(scheduler.schedule(Mockito.any(Runnable.class), Mockito.anyLong(), Mockito.any()))
                .thenAnswer(call -> {
                    task.set(call.getArgument(0));
                    return Mockito.mock(java.util.concurrent.ScheduledFuture.class);
                });
        return scheduler;
    }
}
