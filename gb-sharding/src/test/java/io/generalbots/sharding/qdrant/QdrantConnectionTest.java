package io.generalbots.sharding.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

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
