package io.generalbots.examples;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpExchange;

/** Small helpers for the demo's handlers. */
public final class DemoHttp {

    private DemoHttp() {
    }

    /**
     * Sends a complete response and closes the exchange.
     *
     * @param exchange    the exchange
     * @param status      the status code
     * @param contentType the content type
     * @param body        the body
     * @throws IOException if the client went away
     */
    public static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(bytes);
        }
    }
}
