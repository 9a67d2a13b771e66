package io.generalbots.examples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;

import io.generalbots.autoscale.serving.jdk.JdkHttpInstance;

/**
 * The botserver stand-in itself: {@code /api/chat} answers through the chat service (an echo
 * unless another feature decorates it), and a plain {@code /api/health} (no checks, the instance's
 * load figures) until a health feature replaces it.
 */
final class BasicFeature implements DemoFeature {

    @Override
    public String name() {
        return "botserver stand-in";
    }

    @Override
    public void install(DemoContext demo) {
        demo.route("/api/health", JdkHttpInstance.of(demo.instance()).healthHandler("/api/health",
                JdkHttpInstance.basicReport(DemoBotServer.VERSION)));
        demo.route("/api/chat", exchange -> {
            String message = readBody(exchange);
            String user = exchange.getRequestHeaders().getFirst("X-User");
            try {
                String reply = demo.chat().reply(user == null ? "anonymous" : user, message);
                DemoHttp.send(exchange, 200, "text/plain; charset=utf-8", reply);
            } catch (Exception e) {
                DemoHttp.send(exchange, 503, "text/plain; charset=utf-8", "chat unavailable: " + e.getMessage());
            }
        });
    }

    @Override
    public void tour(DemoTour tour) throws Exception {
        tour.say("botserver stand-in:");
        tour.show("GET", "/api/health", tour.get("/api/health", Map.of()));
        tour.show("POST", "/api/chat", tour.post("/api/chat", "hello", Map.of("X-User", "12345")));
    }

    private static String readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(64 * 1024);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
