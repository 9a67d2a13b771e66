package io.generalbots.sharding.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigException;
import io.generalbots.scaling.config.ConfigReader;
import io.generalbots.sharding.qdrant.QdrantSettings.Distance;
import io.generalbots.sharding.qdrant.QdrantSettings.ShardingMethod;

class QdrantSettingsTest {

    private static QdrantSettings parse(String text) {
        return QdrantSettings.from(BotConfig.parse("config.csv", text));
    }

    @Test
    void defaultsAreTheSeedsValues() {
        QdrantSettings s = QdrantSettings.ofDefaults();
        assertThat(s.shardCount()).isEqualTo(4);
        assertThat(s.replicationFactor()).isEqualTo(2);
        assertThat(s.writeConsistency()).isEqualTo(WriteConsistency.majority());
        assertThat(s.writeConsistencyFactor()).isEqualTo(2);
        assertThat(s.host()).isEmpty();
        assertThat(s.isConfigured()).isFalse();
        assertThat(s.port()).isEqualTo(6334);
        assertThat(s.tls()).isFalse();
        assertThat(s.apiKey()).isEmpty();
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.vectorSize()).isEqualTo(384);
        assertThat(s.distance()).isEqualTo(Distance.COSINE);
        assertThat(s.shardingMethod()).isEqualTo(ShardingMethod.AUTO);
    }

    @Test
    void theSeedsBlockParses() {
        QdrantSettings s = parse("# Qdrant sharding\nqdrant-shard-count,4\nqdrant-replication-factor,2\n"
                + "qdrant-write-consistency,majority\nqdrant-host,qdrant.internal\n");
        assertThat(s.host()).contains("qdrant.internal");
        assertThat(s.writeConsistencyFactor()).isEqualTo(2);
    }

    @Test
    void majorityAndAllFollowTheReplicationFactor() {
        int[] majority = {1, 2, 2, 3, 3, 4, 4};
        for (int rf = 1; rf <= 7; rf++) {
            assertThat(WriteConsistency.majority().factorFor(rf)).as("majority of %d", rf).isEqualTo(majority[rf - 1]);
            assertThat(WriteConsistency.all().factorFor(rf)).isEqualTo(rf);
        }
        assertThat(parse("qdrant-replication-factor,5\nqdrant-write-consistency,ALL\n").writeConsistencyFactor())
                .isEqualTo(5);
        assertThat(parse("qdrant-replication-factor,3\nqdrant-write-consistency,3\n").writeConsistencyFactor())
                .isEqualTo(3);
    }

    @Test
    void aFactorAboveTheReplicationFactorIsAConfigError() {
        assertThatThrownBy(() -> parse("qdrant-replication-factor,2\nqdrant-write-consistency,3\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config.csv:2: qdrant-write-consistency must be at most qdrant-replication-factor (2),"
                        + " but was \"3\"");
        assertThatThrownBy(() -> WriteConsistency.exactly(3).factorFor(2))
                .hasMessage("qdrant-write-consistency must be at most qdrant-replication-factor (2), but was 3");
    }

    @Test
    void badValuesAreAllReportedWithLineAndValue() {
        assertThatThrownBy(() -> parse("qdrant-shard-count,0\nqdrant-write-consistency,most\nqdrant-port,http\n"
                + "qdrant-distance,cosinus\nqdrant-sharding-method,tenant\nqdrant-host,http://qdrant:6334\n"
                + "qdrant-vector-size,-384\nqdrant-timeout,soon\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(String.join("\n",
                        "config.csv:1: qdrant-shard-count must be an integer from 1 to 1000, but was \"0\"",
                        "config.csv:2: qdrant-write-consistency must be a whole number from 1, majority or all,"
                                + " but was \"most\"",
                        "config.csv:3: qdrant-port must be an integer from 1 to 65535, but was \"http\"",
                        "config.csv:4: qdrant-distance must be one of cosine, dot, euclid, manhattan,"
                                + " but was \"cosinus\"",
                        "config.csv:5: qdrant-sharding-method must be one of auto, custom, but was \"tenant\"",
                        "config.csv:6: qdrant-host must be a host name or IP address without scheme or port (the port"
                                + " is qdrant-port), but was \"http://qdrant:6334\"",
                        "config.csv:7: qdrant-vector-size must be an integer from 1 to 65536, but was \"-384\"",
                        "config.csv:8: qdrant-timeout must be a duration from 1ms to 600s (seconds, or a number"
                                + " with ms, s, m or h), but was \"soon\""));
    }

    @Test
    void aBadReplicationFactorIsNotAlsoBlamedOnTheWriteConsistency() {
        assertThatThrownBy(() -> parse("qdrant-replication-factor,x\nqdrant-write-consistency,2\n"))
                .hasMessage("config.csv:1: qdrant-replication-factor must be an integer from 1 to 100, but was \"x\"");
    }

    @Test
    void anApiKeyWithoutTlsIsAWarning() {
        ConfigReader r = BotConfig.parse("config.csv", "qdrant-host,10.0.0.5\nqdrant-api-key,s3cret\n").reader();
        QdrantSettings s = QdrantSettings.read(r);
        assertThat(r.hasErrors()).isFalse();
        assertThat(r.problems()).extracting(Object::toString).containsExactly(
                "config.csv:2: warning: qdrant-api-key is sent in clear text because qdrant-tls is false");
        assertThat(s.apiKey()).contains("s3cret");
        assertThat(s.toString()).contains("apiKey=***").doesNotContain("s3cret");
        QdrantSettings tls = parse("qdrant-host,q.example.com\nqdrant-api-key,s3cret\nqdrant-tls,true\n");
        assertThat(tls.tls()).isTrue();
    }

    @Test
    void theApiKeyCanComeFromTheEnvironment() {
        ConfigReader r = BotConfig.parse("config.csv", "qdrant-host,q1\nqdrant-tls,true\n"
                + "qdrant-api-key,env:QDRANT_API_KEY\n").reader();
        QdrantSettings s = QdrantSettings.read(r, Map.of("QDRANT_API_KEY", "from-env")::get);
        assertThat(r.problems()).isEmpty();
        assertThat(s.apiKey()).contains("from-env");

        ConfigReader missing = BotConfig.parse("config.csv", "qdrant-tls,true\nqdrant-api-key,env:QDRANT_KEY\n")
                .reader();
        QdrantSettings.read(missing, Map.<String, String>of()::get);
        assertThat(missing.problems()).extracting(Object::toString).containsExactly(
                "config.csv:2: qdrant-api-key names environment variable QDRANT_KEY, which is not set");

        ConfigReader bad = BotConfig.parse("config.csv", "qdrant-tls,true\nqdrant-api-key,env:1-x\n").reader();
        QdrantSettings.read(bad, Map.<String, String>of()::get);
        assertThat(bad.problems()).extracting(Object::toString).containsExactly(
                "config.csv:2: qdrant-api-key must be the key itself, or env:VARIABLE naming an environment"
                        + " variable, but was \"env:1-x\"");
    }

    @Test
    void theRestPortIsAWarning() {
        ConfigReader r = BotConfig.parse("config.csv", "qdrant-host,q1\nqdrant-port,6333\n").reader();
        assertThat(QdrantSettings.read(r).port()).isEqualTo(6333);
        assertThat(r.problems()).extracting(Object::toString).containsExactly("config.csv:2: warning: qdrant-port 6333"
                + " is Qdrant's REST port; this client speaks gRPC (Qdrant's 6334)");
    }

    @Test
    void hostsAcceptNamesAndAddresses() {
        assertThat(parse("qdrant-host,127.0.0.1\n").host()).contains("127.0.0.1");
        assertThat(parse("qdrant-host,::1\n").host()).contains("::1");
        assertThat(parse("qdrant-host,qdrant-0.qdrant.svc\n").host()).contains("qdrant-0.qdrant.svc");
        assertThatThrownBy(() -> parse("qdrant-host,qdrant:6334\n"))
                .hasMessageContaining("qdrant-host must be a host name or IP address without scheme or port");
    }

    @Test
    void theBuilderChecksLikeTheFile() {
        QdrantSettings d = QdrantSettings.ofDefaults();
        assertThatThrownBy(() -> QdrantSettings.custom().timeout(Duration.ZERO).build())
                .hasMessage("qdrant-timeout must be positive, but was PT0S");
        assertThatThrownBy(() -> d.toBuilder().replicationFactor(1).writeConsistency(WriteConsistency.exactly(2)).build())
                .hasMessage("qdrant-write-consistency must be at most qdrant-replication-factor (1), but was 2");
        assertThatThrownBy(() -> d.withHost("a b"))
                .hasMessage("qdrant-host must be a host name or IP address without scheme or port, but was \"a b\"");
        assertThatThrownBy(() -> WriteConsistency.exactly(0))
                .hasMessage("qdrant-write-consistency must be from 1 to 2147483647, but was 0");
    }

    @Test
    void writeConsistencyParsesOnlyWhatTheKeyAllows() {
        assertThat(WriteConsistency.parse("Majority")).isEqualTo(WriteConsistency.majority());
        assertThat(WriteConsistency.parse("2")).isEqualTo(WriteConsistency.exactly(2));
        assertThat(WriteConsistency.parse("0")).isNull();
        assertThat(WriteConsistency.parse("-1")).isNull();
        assertThat(WriteConsistency.parse("1.5")).isNull();
        assertThat(WriteConsistency.parse("half")).isNull();
        assertThat(WriteConsistency.exactly(2).toString()).isEqualTo("2");
        assertThat(WriteConsistency.all().toString()).isEqualTo("all");
    }

    @Test
    void theProviderDeclaresEveryKeyAndValidates() {
        QdrantConfigKeys keys = new QdrantConfigKeys();
        assertThat(keys.keys()).extracting(k -> k.name()).containsExactly("qdrant-host", "qdrant-port", "qdrant-tls",
                "qdrant-api-key", "qdrant-timeout", "qdrant-shard-count", "qdrant-replication-factor",
                "qdrant-write-consistency", "qdrant-vector-size", "qdrant-distance", "qdrant-sharding-method");
        ConfigReader r = BotConfig.parse("config.csv", "qdrant-shard-count,many\n").reader();
        keys.validate(r);
        assertThat(r.problems()).extracting(Object::toString)
                .containsExactly("config.csv:1: qdrant-shard-count must be an integer from 1 to 1000, but was \"many\"");
    }
}
