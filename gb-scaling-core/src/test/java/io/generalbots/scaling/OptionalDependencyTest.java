package io.generalbots.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OptionalDependencyTest {

    @Test
    void aMissingLibraryNamesTheArtifactToAdd() {
        assertThatThrownBy(() -> OptionalDependency.require("io.lettuce.core.NoSuchClient", "Lettuce",
                "io.lettuce:lettuce-core", "rate-limit-redis"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("rate-limit-redis needs Lettuce on the class path: add io.lettuce:lettuce-core"
                        + " (managed by gb-dependencies)");
    }

    @Test
    void aPresentLibraryPasses() {
        OptionalDependency.require("org.slf4j.Logger", "SLF4J", "org.slf4j:slf4j-api", "logging");
        assertThat(new OptionalDependency("SLF4J", "org.slf4j:slf4j-api", "org.slf4j.Logger").isPresent()).isTrue();
    }

    @Test
    void theKnownLibrariesNameTheirArtifacts() {
        assertThat(OptionalDependency.LETTUCE.message("rate-limit-redis")).isEqualTo(
                "rate-limit-redis needs Lettuce on the class path: add io.lettuce:lettuce-core (managed by gb-dependencies)");
        assertThat(OptionalDependency.POSTGRESQL.message("ShardedDataSource")).isEqualTo(
                "ShardedDataSource needs the PostgreSQL JDBC driver on the class path: add org.postgresql:postgresql"
                        + " (managed by gb-dependencies)");
        assertThat(OptionalDependency.QDRANT.message("QdrantConnection")).isEqualTo(
                "QdrantConnection needs the Qdrant Java client on the class path: add io.qdrant:client"
                        + " (managed by gb-dependencies)");
        assertThat(OptionalDependency.MICROMETER.message("BreakerMetrics")).isEqualTo(
                "BreakerMetrics needs Micrometer on the class path: add io.micrometer:micrometer-core"
                        + " (managed by gb-dependencies)");
        assertThat(OptionalDependency.XCHART.message("--chart")).isEqualTo(
                "--chart needs XChart on the class path: add org.knowm.xchart:xchart (managed by gb-dependencies)");
        assertThat(OptionalDependency.HIKARICP.message("FailoverDataSource")).isEqualTo(
                "FailoverDataSource needs HikariCP on the class path: add com.zaxxer:HikariCP (managed by gb-dependencies)");
    }

    @Test
    void aJdbcUrlNoRegisteredDriverAcceptsSaysWhichDriverIsMissing() {
        // a real lookup: no driver on this class path accepts jdbc:gbnodriver:
        assertThatThrownBy(() -> OptionalDependency.requireJdbcDriver("jdbc:gbnodriver://db-1:5432/bots?password=x",
                "ShardedDataSource (shard-url-template)"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("ShardedDataSource (shard-url-template) needs a JDBC driver for jdbc:gbnodriver: URLs on the"
                        + " class path, but none is registered: add that database's JDBC driver");
        assertThat(OptionalDependency.jdbcDriverMessage("jdbc:postgresql://db-1/bots", "ShardedDataSource")).isEqualTo(
                "ShardedDataSource needs the PostgreSQL JDBC driver on the class path: add org.postgresql:postgresql"
                        + " (managed by gb-dependencies)");
    }

    @Test
    void fieldsAreChecked() {
        assertThatThrownBy(() -> new OptionalDependency("Lettuce", "lettuce-core", "io.lettuce.core.RedisClient"))
                .hasMessage("artifact must be groupId:artifactId, but was lettuce-core");
    }
}
