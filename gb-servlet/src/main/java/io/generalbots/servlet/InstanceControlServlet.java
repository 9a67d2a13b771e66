package io.generalbots.servlet;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.generalbots.autoscale.serving.BotInstance;

/**
 * The instance's control endpoint on a servlet container, as {@code JdkHttpInstance} serves it on
 * the JDK server ({@code controlPath}, default {@code /api/instance}): every request is first checked
 * with {@link BotInstance#mayControl} (403 {@code {"error":"forbidden"}} otherwise);
 * {@code POST controlPath/drain} starts the drain (202 {@code {"state":"draining","inflight":N}});
 * {@code GET} gives the same body with 200; another method 405, another path 404. JSON, not cached.
 */
public final class InstanceControlServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient BotInstance instance;
    private final String controlPath;

    /**
     * A control servlet for an instance, at its configured control path.
     *
     * @param instance the instance
     */
    public InstanceControlServlet(BotInstance instance) {
        this.instance = Objects.requireNonNull(instance, "instance");
        this.controlPath = instance.config().controlPath();
    }

    /**
     * The URL patterns to map this servlet to.
     *
     * @return the control path and everything below it
     */
    public List<String> urlPatterns() {
        return List.of(controlPath, controlPath + "/*");
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        InetAddress remote;
        try {
            remote = ServletClientRequest.address(request.getRemoteAddr());
        } catch (IllegalStateException e) {
            remote = null;
        }
        if (!instance.mayControl(remote, request::getHeader)) {
            send(response, 403, "{\"error\":\"forbidden\"}", false);
            return;
        }
        String path = ServletClientRequest.pathOf(request);
        String method = request.getMethod();
        if (!path.equals(controlPath + "/drain")) {
            send(response, 404, "{\"error\":\"not found\"}", false);
        } else if ("POST".equals(method)) {
            instance.drain();
            send(response, 202, instance.stateJson(), false);
        } else if ("GET".equals(method) || "HEAD".equals(method)) {
            send(response, 200, instance.stateJson(), "HEAD".equals(method));
        } else {
            response.setHeader("Allow", "GET, HEAD, POST");
            send(response, 405, "{\"error\":\"method not allowed\"}", false);
        }
    }

    private static void send(HttpServletResponse response, int status, String body, boolean head) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(bytes.length);
        if (!head) {
            response.getOutputStream().write(bytes);
        }
    }
}
