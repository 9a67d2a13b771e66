package io.generalbots.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ShardingFeatureTest {

    @Test
    void chatRepliesCarryTheShardOfTheUser() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (DemoBotServer demo = DemoBotServer.start(DemoBotServer.embeddedConfig(), 0, out)) {
            DemoTour tour = new DemoTour(demo.port(), out);
            // the embedded config is the seed's: hash, 4 shards, modulo -> 12345 % 4 = 1
            assertThat(tour.post("/api/chat", "hi", Map.of("X-User", "12345")).body()).startsWith("[shard-1] ");
            assertThat(tour.post("/api/chat", "hi", Map.of("X-User", "12346")).body()).startsWith("[shard-2] ");
        }
    }
}
