package io.generalbots.sharding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.sharding.qdrant.QdrantConnection;
import io.generalbots.sharding.qdrant.QdrantSettings;
import io.generalbots.scaling.testing.IsolatedClassPath;

/** A missing JDBC driver or Qdrant client is one message naming the artifact, at build. */
class MissingOptionalDependenciesTest {

    private static ShardSettings settings(String text) {
        return ShardSettings.from(BotConfig.parse("config.csv", "shard-strategy,hash\n" + text));
    }

    @Test
    void aShardUrlNoRegisteredDriverAcceptsFailsAtBuildNotAtTheFirstConnection() {
        assertThatThrownBy(() -> ShardedDataSource.custom(settings("shard-url-template,jdbc:gbnodriver://{host}/{database}\n"))
                .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("ShardedDataSource (shard-url-template) needs a JDBC driver for jdbc:gbnodriver: URLs on the"
                        + " class path, but none is registered: add that database's JDBC driver");
        assertThatThrownBy(() -> ShardedDataSource.custom(settings("shard-url-shard-2,jdbc:gbnodriver://h/db\n")).build())
                .hasMessageStartingWith("ShardedDataSource (shard-url-shard-2) needs a JDBC driver for jdbc:gbnodriver:");
    }

    /** The default template, jdbc:postgresql:, on a class path without the driver. */
    public static final class WithoutDriver implements Callable<String> {
        @Override
        public String call() {
            try (ShardedDataSource shards = ShardedDataSource.custom(settings("")).build()) {
                return "built";
            } catch (RuntimeException | LinkageError e) {
                return e.getClass().getName() + ": " + e.getMessage();
            }
        }
    }

    /** Qdrant on a class path without its client. */
    public static final class WithoutQdrantClient implements Callable<String> {
        @Override
        public String call() {
            QdrantSettings settings = QdrantSettings.from(BotConfig.parse("config.csv", "qdrant-host,127.0.0.1\n"));
            try (QdrantConnection qdrant = QdrantConnection.of(settings)) {
                return "connected";
            } catch (RuntimeException | LinkageError e) {
                return e.getClass().getName() + ": " + e.getMessage();
            }
        }
    }

    @Test
    void withoutThePostgresqlDriverTheArtifactIsNamed() throws Exception {
        assertThat(IsolatedClassPath.without("postgresql-").call(WithoutDriver.class)).isEqualTo(
                "java.lang.IllegalStateException: ShardedDataSource (shard-url-template) needs the PostgreSQL JDBC driver"
                        + " on the class path: add org.postgresql:postgresql (managed by gb-dependencies)");
    }

    @Test
    void withoutTheQdrantClientTheArtifactIsNamed() throws Exception {
        assertThat(IsolatedClassPath.without("/io/qdrant/").call(WithoutQdrantClient.class)).isEqualTo(
                "java.lang.IllegalStateException: QdrantConnection (qdrant-host) needs the Qdrant Java client on the"
                        + " class path: add io.qdrant:client (managed by gb-dependencies)");
    }
}
