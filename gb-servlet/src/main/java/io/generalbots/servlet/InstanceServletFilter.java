package io.generalbots.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.generalbots.autoscale.serving.BotInstance;
import io.generalbots.scaling.PathPrefixes;

/**
 * Meters and drains a servlet application through gb-autoscale's {@link BotInstance}, as
 * {@code JdkHttpInstance}'s filter does on the JDK server: each request is admitted with
 * {@link BotInstance#admit()} and its ticket ended with the response status; while the instance
 * drains, new requests get {@code 503} with {@code Retry-After}, {@code Connection: close} and
 * {@code {"error":"draining","retry_after":N}}, and the application is not called.
 *
 * <ul>
 *   <li>A request that throws still leaves the in-flight count, metered as 500.</li>
 *   <li>Async-aware: a request that goes async ({@code startAsync}) stays in flight until its
 *       {@link jakarta.servlet.AsyncContext} completes (an {@link AsyncListener} ends the ticket with
 *       the final status; an async error counts as 500), so a drain waits for it.</li>
 *   <li>Excluded paths (the health endpoint, the control endpoint) are neither metered nor refused.</li>
 *   <li>{@link Builder#then(Filter)} runs a second filter inside this one, exactly as if the
 *       container ran it right after: one filter in the container's chain instead of two. Each
 *       filter an application registers costs every request a lookup while the container builds
 *       the request's chain (Tomcat takes a lock for each), so the rate-limit filter is best run
 *       this way when nothing has to run between the two.</li>
 * </ul>
 *
 * <pre>{@code
 * BotInstance instance = BotInstance.of(InstanceSettings.from(config));
 * servletContext.addFilter("gb-instance", InstanceServletFilter.custom(instance)
 *         .exclude(List.of("/api/health", "/api/instance")).build())
 *     .addMappingForUrlPatterns(null, false, "/*");
 * // metering, then rate limiting, as one filter
 * InstanceServletFilter.custom(instance).exclude(List.of("/api/health", "/api/instance"))
 *         .then(RateLimitServletFilter.of(gate)).build();
 * }</pre>
 */
public final class InstanceServletFilter implements Filter {

    private final BotInstance instance;
    private final PathPrefixes excluded;
    private final Filter next;

    private InstanceServletFilter(Builder b) {
        this.instance = b.instance;
        this.excluded = PathPrefixes.of(b.excluded);
        this.next = b.next;
    }

    /**
     * A builder over an instance.
     *
     * @param instance the instance
     * @return the builder
     */
    public static Builder custom(BotInstance instance) {
        return new Builder(instance);
    }

    /**
     * The instance.
     *
     * @return the instance
     */
    public BotInstance instance() {
        return instance;
    }

    /**
     * The filter run inside this one ({@link Builder#then(Filter)}), if any.
     *
     * @return the filter, or empty
     */
    public java.util.Optional<Filter> next() {
        return java.util.Optional.ofNullable(next);
    }

    /** Initialises the filter run inside this one, if any. */
    @Override
    public void init(FilterConfig config) throws ServletException {
        if (next != null) {
            next.init(config);
        }
    }

    /** Destroys the filter run inside this one, if any. */
    @Override
    public void destroy() {
        if (next != null) {
            next.destroy();
        }
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)
                || request.getDispatcherType() != DispatcherType.REQUEST
                || excluded.matches(ServletClientRequest.pathOf(request))) {
            proceed(req, res, chain);
            return;
        }
        BotInstance.Ticket ticket = instance.admit();
        if (ticket == null) {
            refuse(request, response);
            return;
        }
        boolean async = false;
        try {
            proceed(req, res, chain);
            if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new TicketListener(ticket));
                async = true;
            } else {
                ticket.end(response.getStatus());
            }
        } finally {
            if (!async) {
                ticket.close(); // a request that threw: 500, and out of the in-flight count
            }
        }
    }

    /** The rest of the chain: the filter inside this one first, if any. */
    private void proceed(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (next == null) {
            chain.doFilter(req, res);
        } else {
            next.doFilter(req, res, chain);
        }
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long retry = instance.retryAfterSeconds();
        byte[] body = instance.drainingJson().getBytes(StandardCharsets.UTF_8);
        response.setStatus(503);
        response.setHeader("Retry-After", Long.toString(retry));
        response.setHeader("Connection", "close");
        response.setContentType("application/json");
        response.setContentLength(body.length);
        if (!"HEAD".equals(request.getMethod())) {
            response.getOutputStream().write(body);
        }
    }

    /** Ends an async request's ticket when its async cycle completes. */
    private static final class TicketListener implements AsyncListener {
        private final BotInstance.Ticket ticket;

        TicketListener(BotInstance.Ticket ticket) {
            this.ticket = ticket;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            ServletResponse r = event.getSuppliedResponse();
            ticket.end(r instanceof HttpServletResponse http ? http.getStatus() : 200);
        }

        @Override
        public void onError(AsyncEvent event) {
            ticket.end(500);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            // the container completes (or dispatches an error) next; onComplete ends the ticket
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this); // async started again: keep listening
        }
    }

    /** Builds an {@link InstanceServletFilter}. */
    public static final class Builder {
        private final BotInstance instance;
        private final List<String> excluded = new ArrayList<>();
        private Filter next;

        private Builder(BotInstance instance) {
            this.instance = Objects.requireNonNull(instance, "instance");
        }

        /**
         * Paths neither metered nor refused while draining, each with everything below it (the
         * health endpoint and the control endpoint).
         *
         * @param prefixes paths starting with {@code /}
         * @return this
         */
        public Builder exclude(List<String> prefixes) {
            for (String p : prefixes) {
                io.generalbots.scaling.Checks.require(p != null && p.startsWith("/"), "excluded path",
                        "a path starting with /", p);
                excluded.add(p);
            }
            return this;
        }

        /**
         * A filter to run inside this one, as if the container ran it right after this one (for
         * every request, excluded and non-{@code REQUEST} dispatches included: it decides for itself
         * what it leaves alone): a request refused while draining never reaches it, and a request it
         * answers (a 429) is metered with that status. Its {@code init} and {@code destroy} are called
         * with this filter's.
         *
         * @param next the filter, such as the {@link RateLimitServletFilter}
         * @return this
         */
        public Builder then(Filter next) {
            this.next = Objects.requireNonNull(next, "next");
            return this;
        }

        /**
         * Builds the filter.
         *
         * @return the filter
         */
        public InstanceServletFilter build() {
            return new InstanceServletFilter(this);
        }
    }
}
