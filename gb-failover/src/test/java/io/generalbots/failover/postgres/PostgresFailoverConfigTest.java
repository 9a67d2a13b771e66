package io.generalbots.failover.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.generalbots.scaling.config.HostAndPort;

class PostgresFailoverConfigTest {

    @Test
    void failoverSafeDefaults() {
        PostgresFailoverConfig c = PostgresFailoverConfig.custom().hosts("pg-1,pg-2:5433").build();
        assertThat(c.hosts()).containsExactly(new HostAndPort("pg-1", 5432), new HostAndPort("pg-2", 5433));
        assertThat(c.discovery()).isEqualTo(PrimaryDiscoveryMode.MULTIHOST);
        assertThat(c.socketTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.keepaliveTime()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.maxLifetime()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.connectionTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.minimumIdle()).isEqualTo(2);
        assertThat(c.toBuilder().name("shard-2").build().hosts()).isEqualTo(c.hosts());
    }

    @Test
    void badValuesNameTheSettingAndTheValue() {
        PostgresFailoverConfig.Builder b = PostgresFailoverConfig.custom();
        assertThatThrownBy(() -> b.keepaliveTime(Duration.ofSeconds(5)))
                .hasMessage("keepaliveTime must be zero or at least 30 s, but was PT5S");
        assertThatThrownBy(() -> b.maximumPoolSize(0)).hasMessageContaining("maximumPoolSize must be")
                .hasMessageContaining("but was 0");
        assertThatThrownBy(() -> b.connectTimeout(Duration.ofMillis(500)))
                .hasMessage("connectTimeout must be at least 1 s, but was PT0.5S");
        assertThatThrownBy(() -> b.driverProperty("targetServerType", "any"))
                .hasMessageStartingWith("driverProperty must be not one the library sets (");
        assertThatThrownBy(() -> PostgresFailoverConfig.custom().build())
                .hasMessage("hosts must be one or more PostgreSQL nodes, but was []");
        assertThatThrownBy(() -> PostgresFailoverConfig.custom().hosts("a,b").discovery(PrimaryDiscoveryMode.NONE).build())
                .hasMessage("hosts must be one host when discovery is NONE, but was [a:5432, b:5432]");
        assertThatThrownBy(() -> PostgresFailoverConfig.custom().hosts("a").minimumIdle(20).maximumPoolSize(5).build())
                .hasMessage("minimumIdle must be at most maximumPoolSize (5), but was 20");
        assertThatThrownBy(() -> PostgresFailoverConfig.custom().hosts("a").readMaxLag(10).build())
                .hasMessageStartingWith("readMaxLag must be unset unless discovery is PATRONI");
        assertThatThrownBy(() -> PostgresFailoverConfig.custom().hosts("a,b").discovery(PrimaryDiscoveryMode.PATRONI)
                .patroniEndpoints(java.util.List.of(new HostAndPort("a", 1))).build())
                .hasMessage("patroniEndpoints must be one per host (2), but was [a:1]");
    }
}
