package io.generalbots.sharding.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.generalbots.scaling.config.BotConfig;
import io.grpc.ManagedChannel;

class QdrantConnectionTest {

    private static QdrantSettings settings(String host) {
        return QdrantSettings.from(BotConfig.of(Map.of("qdrant-host", host)));
    }

    @Test
    void oneClientPerServerIsSharedAndClosedWithItsLastLease() {
        QdrantConnection a = QdrantConnection.of(settings("127.0.0.1"));
        QdrantConnection b = QdrantConnection.of(settings("127.0.0.1").withShardingMethod(
                QdrantSettings.ShardingMethod.CUSTOM));
        QdrantConnection other = QdrantConnection.of(settings("localhost"));
        try {
            assertThat(b.client()).isSameAs(a.client());
            assertThat(other.client()).isNotSameAs(a.client());
            assertThat(a.name()).isEqualTo("127.0.0.1:6334");
            ManagedChannel channel = channelOf(a);

            a.close();
            a.close(); // idempotent: does not release b's lease
            assertThat(channel.isShutdown()).isFalse();
            assertThat(b.client()).isNotNull();
            assertThatThrownBy(a::client).isInstanceOf(IllegalStateException.class)
                    .hasMessage("qdrant 127.0.0.1:6334: connection is closed");

            b.close();
            assertThat(channel.isShutdown()).isTrue();
            QdrantConnection again = QdrantConnection.of(settings("127.0.0.1"));
            assertThat(channelOf(again)).isNotSameAs(channel);
            again.close();
        } finally {
            b.close();
            other.close();
        }
    }

    @Test
    void sixteenThreadsLeasingAtOnceShareOneClientClosedWithTheLastLease() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(16);
        try {
            for (int round = 0; round < 20; round++) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<QdrantConnection>> leases = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    leases.add(threads.submit(() -> {
                        start.await();
                        return QdrantConnection.of(settings("qdrant-contended"));
                    }));
                }
                start.countDown();
                List<QdrantConnection> connections = new ArrayList<>();
                for (Future<QdrantConnection> f : leases) {
                    connections.add(f.get(30, TimeUnit.SECONDS));
                }
                ManagedChannel channel = channelOf(connections.get(0));
                assertThat(connections).allSatisfy(c -> assertThat(c.client()).isSameAs(connections.get(0).client()));
                // give the leases back at once too: the client is closed by the last one only
                CountDownLatch release = new CountDownLatch(1);
                List<Future<?>> closes = new ArrayList<>();
                for (QdrantConnection c : connections.subList(1, 16)) {
                    closes.add(threads.submit(() -> {
                        release.await();
                        c.close();
                        return null;
                    }));
                }
                release.countDown();
                for (Future<?> f : closes) {
                    f.get(30, TimeUnit.SECONDS);
                }
                assertThat(channel.isShutdown()).as("one lease left in round " + round).isFalse();
                connections.get(0).close();
                assertThat(channel.isShutdown()).isTrue();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void usingAChannelClosesItWithTheConnection() {
        try (FakeQdrant qdrant = FakeQdrant.start()) {
            ManagedChannel channel = qdrant.channel();
            QdrantConnection c = QdrantConnection.of(channel, settings("qdrant"));
            c.close();
            assertThat(channel.isShutdown()).isTrue();
            assertThat(c.isClosed()).isTrue();
        }
    }

    @Test
    void noHostNoClient() {
        assertThatThrownBy(() -> QdrantConnection.ofDedicated(QdrantSettings.ofDefaults()))
                .hasMessage("qdrant-host must be set to connect to Qdrant, but was not set");
        assertThatThrownBy(() -> QdrantConnection.of(QdrantSettings.ofDefaults()))
                .hasMessage("qdrant-host must be set to connect to Qdrant, but was not set");
    }

    private static ManagedChannel channelOf(QdrantConnection c) {
        return c.client().grpcClient().channel();
    }
}
