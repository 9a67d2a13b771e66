package io.generalbots.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

class KnowledgeSearchDemoTest {

    @Test
    void withoutQdrantTheKeywordFallbackAnswersAndHealthSaysSo() throws Exception {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (DemoBotServer demo = DemoBotServer.start(DemoBotServer.embeddedConfig(), 0, out)) {
            DemoTour tour = new DemoTour(demo.port(), out);
            HttpResponse<String> search = tour.get("/api/search?q=returns", Map.of());
            assertThat(search.statusCode()).isEqualTo(200);
            assertThat(search.body()).isEqualTo("Returns are accepted within 30 days with the receipt."
                    + "  [answered by keyword-search]");
            assertThat(tour.get("/api/search", Map.of()).body()).isEqualTo("missing ?q=words");
        }
    }
}
