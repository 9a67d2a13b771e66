package io.generalbots.failover.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigException;
import io.generalbots.scaling.config.ConfigKey;
import io.generalbots.scaling.config.ConfigKeyProvider;
import io.generalbots.scaling.config.ConfigReader;
import io.generalbots.scaling.config.HostAndPort;

class PostgresFailoverSettingsTest {

    private static BotConfig parse(String text) {
        return BotConfig.parse("config.csv", "name,value\n" + text);
    }

    @Test
    void defaultsAreMultihostWithoutHostsAndPatroniPort8008() {
        PostgresFailoverSettings s = PostgresFailoverSettings.from(BotConfig.ofDefaults());
        assertThat(s.discovery()).isEqualTo(PrimaryDiscoveryMode.MULTIHOST);
        assertThat(s.configured()).isFalse();
        assertThat(s.patroniPort()).isEqualTo(8008);
        assertThat(s.patroniTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.checkInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.retryTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.readPool()).isFalse();
        assertThat(s.readMaxLag()).isEmpty();
    }

    @Test
    void readsAPatroniCluster() {
        PostgresFailoverSettings s = PostgresFailoverSettings.from(parse("""
                shard-primary-discovery,patroni
                shard-primary-hosts,pg-1,pg-2:5433
                shard-patroni-port,8009
                shard-patroni-timeout,500ms
                shard-read-pool,true
                shard-read-max-lag,1048576
                """));
        assertThat(s.discovery()).isEqualTo(PrimaryDiscoveryMode.PATRONI);
        assertThat(s.hosts()).containsExactly(new HostAndPort("pg-1", 5432), new HostAndPort("pg-2", 5433));
        assertThat(s.patroniTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.readMaxLag()).hasValue(1048576);
        PostgresFailoverConfig c = PostgresFailoverConfig.custom().settings(s).build();
        assertThat(c.patroniEndpoints()).containsExactly(new HostAndPort("pg-1", 8009), new HostAndPort("pg-2", 8009));
    }

    @Test
    void reportsEveryBadValueWithFileLineAndValue() {
        assertThatThrownBy(() -> PostgresFailoverSettings.from(parse("""
                shard-primary-discovery,zookeeper
                shard-primary-hosts,pg-1:99999
                shard-patroni-port,0
                shard-patroni-timeout,soon
                """)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config.csv:2: shard-primary-discovery must be one of patroni, multihost, none, "
                        + "but was \"zookeeper\"")
                .hasMessageContaining("config.csv:3: shard-primary-hosts must be a comma-separated list of HOST:PORT, "
                        + "but was \"pg-1:99999\"")
                .hasMessageContaining("config.csv:4: shard-patroni-port must be")
                .hasMessageContaining("config.csv:5: shard-patroni-timeout must be a duration");
    }

    @Test
    void crossKeyMistakesAreNamed() {
        assertThatThrownBy(() -> PostgresFailoverSettings.from(parse("shard-primary-discovery,patroni\n")))
                .hasMessageContaining("config.csv:2: shard-primary-discovery is patroni, but shard-primary-hosts "
                        + "(the nodes to ask) is not set");
        assertThatThrownBy(() -> PostgresFailoverSettings.from(parse("""
                shard-primary-discovery,multihost
                shard-primary-hosts,a,b
                shard-read-max-lag,100
                """)))
                .hasMessageContaining("config.csv:4: shard-read-max-lag must be unset unless shard-primary-discovery "
                        + "is patroni (only Patroni reports replication lag), but was \"100\"");
        assertThatThrownBy(() -> PostgresFailoverSettings.from(parse("""
                shard-primary-discovery,none
                shard-primary-hosts,a,b
                """)))
                .hasMessageContaining("shard-primary-hosts must be one host when shard-primary-discovery is none");
        assertThatThrownBy(() -> PostgresFailoverSettings.from(parse("""
                shard-primary-discovery,patroni
                shard-primary-hosts,a,b
                shard-patroni-endpoints,a:8008
                """)))
                .hasMessageContaining("shard-patroni-endpoints must be one HOST:PORT per shard-primary-hosts entry (2)");
    }

    @Test
    void maxLagWithoutReadPoolIsAWarning() {
        ConfigReader r = parse("""
                shard-primary-discovery,patroni
                shard-primary-hosts,a,b
                shard-read-max-lag,100
                """).reader();
        PostgresFailoverSettings.read(r);
        assertThat(r.hasErrors()).isFalse();
        assertThat(r.problems()).extracting(Object::toString)
                .anyMatch(p -> p.contains("shard-read-max-lag has no effect while shard-read-pool is false"));
    }

    @Test
    void keysAreDeclaredThroughTheServiceLoaderWithOurPrefix() {
        List<String> names = ServiceLoader.load(ConfigKeyProvider.class).stream()
                .filter(p -> p.type() == PostgresFailoverConfigKeys.class)
                .flatMap(p -> p.get().keys().stream()).map(ConfigKey::name).toList();
        assertThat(names).contains("shard-primary-discovery", "shard-primary-hosts", "shard-patroni-port",
                "shard-patroni-endpoints", "shard-patroni-timeout", "shard-primary-check-interval",
                "shard-primary-retry-timeout", "shard-read-pool", "shard-read-max-lag");
        assertThat(names).allMatch(n -> n.startsWith("shard-primary-") || n.startsWith("shard-patroni-")
                || n.startsWith("shard-read-"));
    }
}
