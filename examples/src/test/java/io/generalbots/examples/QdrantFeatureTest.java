package io.generalbots.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.generalbots.scaling.config.BotConfig;

class QdrantFeatureTest {

    private static String install(BotConfig config) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (QdrantFeature feature = new QdrantFeature()) {
            feature.install(new DemoContext(config, out, (user, message) -> message));
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void withoutAQdrantAddressItSaysItSkipped() throws Exception {
        assertThat(install(DemoBotServer.embeddedConfig()))
                .isEqualTo("qdrant: no qdrant-host configured; skipped ensuring collection kb_default"
                        + System.lineSeparator());
    }

    @Test
    void anUnreachableQdrantIsReportedAndTheDemoGoesOn() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String printed = install(BotConfig.of(Map.of("qdrant-host", "127.0.0.1", "qdrant-port",
                Integer.toString(port), "qdrant-timeout", "2")));
        assertThat(printed).startsWith("qdrant: could not ensure collection kb_default: qdrant 127.0.0.1:" + port
                + ": check collection kb_default failed: UNAVAILABLE");
    }
}
