package io.generalbots.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** The short tour the demo gives itself once it serves: requests to itself, printed. */
public final class DemoTour {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;
    private final PrintStream out;

    DemoTour(int port, PrintStream out) {
        this.port = port;
        this.out = out;
    }

    /**
     * Prints a line of the tour.
     *
     * @param line the text
     */
    public void say(String line) {
        out.println(line);
    }

    /**
     * Sends {@code GET path}.
     *
     * @param path    the path
     * @param headers extra request headers
     * @return the response
     * @throws IOException          if the request fails
     * @throws InterruptedException if interrupted
     */
    public HttpResponse<String> get(String path, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET();
        headers.forEach(b::header);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Sends {@code POST path} with a text body.
     *
     * @param path    the path
     * @param body    the body
     * @param headers extra request headers
     * @return the response
     * @throws IOException          if the request fails
     * @throws InterruptedException if interrupted
     */
    public HttpResponse<String> post(String path, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Prints a request and its response in one line: {@code GET /api/health -> 200 {...}}.
     *
     * @param method   the method, for the line
     * @param path     the path, for the line
     * @param response the response
     */
    public void show(String method, String path, HttpResponse<String> response) {
        String body = response.body().replace('\n', ' ');
        if (body.length() > 160) {
            body = body.substring(0, 157) + "...";
        }
        out.println("  " + method + " " + path + " -> " + response.statusCode() + " " + body);
    }

    /**
     * The port the demo serves on.
     *
     * @return the port
     */
    public int port() {
        return port;
    }
}
